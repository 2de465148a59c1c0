import { TensorProto_DataType, type GraphProto, type TensorProto } from 'onnx-buf';
import { decodeModelProto } from '../../formats/onnx/read';
import { readModelBytes } from './create-session';

/** Facts about an ONNX model read from the file alone (no runtime). */
export interface ModelFacts {
  bytes: number;
  /** Operator types of all graphs, subgraphs included, sorted. */
  opTypes: string[];
  nodeCount: number;
  /** Bytes of all initializers (weights), external data included. */
  weightBytes: number;
}

const ELEMENT_BYTES: Partial<Record<TensorProto_DataType, number>> = {
  [TensorProto_DataType.FLOAT]: 4,
  [TensorProto_DataType.UINT8]: 1,
  [TensorProto_DataType.INT8]: 1,
  [TensorProto_DataType.UINT16]: 2,
  [TensorProto_DataType.INT16]: 2,
  [TensorProto_DataType.INT32]: 4,
  [TensorProto_DataType.INT64]: 8,
  [TensorProto_DataType.BOOL]: 1,
  [TensorProto_DataType.FLOAT16]: 2,
  [TensorProto_DataType.DOUBLE]: 8,
  [TensorProto_DataType.UINT32]: 4,
  [TensorProto_DataType.UINT64]: 8,
  [TensorProto_DataType.BFLOAT16]: 2,
};

function tensorBytes(tensor: TensorProto): number {
  if (tensor.rawData.length > 0) return tensor.rawData.length;
  const external = tensor.externalData.find((entry) => entry.key === 'length');
  if (external) return Number(external.value) || 0;
  const count = tensor.dims.reduce((product, dim) => product * Number(dim), 1);
  return count * (ELEMENT_BYTES[tensor.dataType as TensorProto_DataType] ?? 4);
}

function walk(graph: GraphProto, facts: { ops: Set<string>; nodes: number; weights: number }): void {
  for (const init of graph.initializer) facts.weights += tensorBytes(init);
  for (const node of graph.node) {
    facts.nodes++;
    facts.ops.add(node.domain && node.domain !== 'ai.onnx' ? `${node.domain}.${node.opType}` : node.opType);
    for (const attribute of node.attribute) {
      if (attribute.g) walk(attribute.g, facts);
      for (const sub of attribute.graphs) walk(sub, facts);
    }
  }
}

/** Reads operator types, node count and weight bytes of an ONNX file. */
export function readModelFacts(path: string): ModelFacts {
  const bytes = readModelBytes(path);
  const graph: GraphProto | undefined = decodeModelProto(bytes, path).proto.graph;
  const facts = { ops: new Set<string>(), nodes: 0, weights: 0 };
  if (graph) walk(graph, facts);
  return { bytes: bytes.byteLength, opTypes: [...facts.ops].sort(), nodeCount: facts.nodes, weightBytes: facts.weights };
}
