import { z } from 'zod';
import { FilePath, ModelFormat } from './schemas';

/** A graph input or output: symbolic dimensions are strings, unknown ones `"?"`. */
export const IoSummary = z.object({
  name: z.string(),
  dtype: z.string(),
  shape: z.array(z.union([z.number(), z.string()])).nullable(),
});
export type IoSummary = z.infer<typeof IoSummary>;

/** One node for the UI's node list. */
export const NodeSummary = z.object({
  index: z.number().int(),
  type: z.string(),
  domain: z.string(),
  name: z.string(),
  inputs: z.array(z.object({ name: z.string(), shape: z.string() })),
  outputs: z.array(z.object({ name: z.string(), shape: z.string() })),
  attributes: z.record(z.string(), z.string()),
});
export type NodeSummary = z.infer<typeof NodeSummary>;

/** What `lithe inspect` and the model page show about a model. */
export const ModelSummary = z.object({
  path: z.string(),
  format: z.string(),
  producer: z.string(),
  irVersion: z.number().nullable(),
  opsets: z.record(z.string(), z.number()),
  inputs: z.array(IoSummary),
  outputs: z.array(IoSummary),
  nodeCount: z.number().int(),
  opCounts: z.record(z.string(), z.number().int()),
  paramCount: z.number(),
  weightBytesByDtype: z.record(z.string(), z.number()),
  sizeBytes: z.number(),
  externalDataBytes: z.number(),
  macs: z.number(),
  macsByOp: z.record(z.string(), z.number()),
  macsNotes: z.array(z.string()),
  subgraphCount: z.number().int(),
  functionCount: z.number().int(),
  metadata: z.record(z.string(), z.string()),
  largestTensors: z.array(z.object({ name: z.string(), dtype: z.string(), shape: z.array(z.number()), bytes: z.number() })),
  nodes: z.array(NodeSummary),
});
export type ModelSummary = z.infer<typeof ModelSummary>;

/** Arguments of `model.convert`: the output's extension (.onnx or .tflite) names its format. */
export const ConvertArgs = z
  .object({
    input: FilePath,
    output: FilePath,
    /** Sizes of open dimensions (by name or `input:axis`) for ONNX → TFLite, whose tensors are all fixed. */
    dims: z.record(z.string(), z.number().int().positive()).optional(),
    /** TFLite → ONNX: recurrent state as extra inputs/outputs instead of kept inside (starting at zero). */
    exposeState: z.boolean().optional(),
  })
  .strict();
export type ConvertArgs = z.infer<typeof ConvertArgs>;

/** How one output of a converted model compares with the original's on the same inputs. */
export const ConvertedOutput = z.object({
  name: z.string(),
  /** Largest |original − converted| ÷ largest |original| (null when the two cannot be compared). */
  relative: z.number().nullable(),
  /** For quantized outputs: the largest difference in quantization steps. */
  steps: z.number().nullable(),
  matches: z.boolean(),
});

/** The check of a converted model: run in its runtime against the original in its own, same inputs. */
export const ConversionCheck = z.object({
  /** matches: float within 1e-4 relative, quantized within one step; not-run: the original cannot run here. */
  status: z.enum(['matches', 'differs', 'not-run']),
  words: z.string(),
  samples: z.number().int().nonnegative(),
  outputs: z.array(ConvertedOutput),
});
export type ConversionCheck = z.infer<typeof ConversionCheck>;

/** What `model.convert` wrote. */
export const ConvertResult = z.object({
  inPath: z.string(),
  outPath: z.string(),
  fromFormat: ModelFormat,
  toFormat: ModelFormat,
  sizeBytes: z.number().int().nonnegative(),
  /** What the conversion chose or did that the user should know (sizes fixed, state, weights expanded). */
  notes: z.array(z.string()),
  /** Absent when the format did not change (the model is written as read). */
  check: ConversionCheck.optional(),
});
export type ConvertResult = z.infer<typeof ConvertResult>;
