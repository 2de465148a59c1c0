/** A graph input or output as shown by `inspect`. Symbolic dims are strings, unknown ones `"?"`. */
export interface IoSummary {
  name: string;
  dtype: string;
  shape: (number | string)[] | null;
}

/** One node for the UI's node list. */
export interface NodeSummary {
  index: number;
  type: string;
  domain: string;
  name: string;
  inputs: { name: string; shape: string }[];
  outputs: { name: string; shape: string }[];
  attributes: Record<string, string>;
}

/** One of the largest constant tensors. */
export interface TensorSummary {
  name: string;
  dtype: string;
  shape: number[];
  bytes: number;
}

/** Plain-JSON summary of a model, as returned by `inspectModel` and printed by `lithe inspect --json`. */
export interface ModelSummary {
  path: string;
  format: string;
  producer: string;
  irVersion: number | null;
  opsets: Record<string, number>;
  inputs: IoSummary[];
  outputs: IoSummary[];
  nodeCount: number;
  opCounts: Record<string, number>;
  /** Elements of all initializers and constant tensors (Constant nodes, tensor attributes). */
  paramCount: number;
  weightBytesByDtype: Record<string, number>;
  sizeBytes: number;
  /** Size of external data files the model refers to (0 when all weights are inline). */
  externalDataBytes: number;
  /** Estimated multiply-accumulates for Conv/ConvTranspose/Gemm/MatMul/LSTM/GRU/RNN. */
  macs: number;
  macsByOp: Record<string, number>;
  /** Notes about the estimate, e.g. dynamic dimensions treated as 1. */
  macsNotes: string[];
  subgraphCount: number;
  functionCount: number;
  metadata: Record<string, string>;
  largestTensors: TensorSummary[];
  nodes: NodeSummary[];
}
