import { z } from 'zod';
import { FilePath, ModelFormat } from './schemas';

/** Top-k accuracy on labelled data (fractions in [0, 1]). */
export const AccuracySummary = z.object({ top1: z.number(), top5: z.number(), correct: z.number().int(), total: z.number().int() });
export type AccuracySummary = z.infer<typeof AccuracySummary>;

/** How closely a candidate's outputs follow a reference's, over the samples. */
export const FidelitySummary = z.object({
  /** Fraction of samples whose arg-max class agrees. */
  top1Agreement: z.number(),
  /** Mean cosine similarity per sample. */
  cosine: z.number(),
  /** Lowest cosine similarity of any sample. */
  cosineMin: z.number(),
  /** Signal-to-quantization-noise ratio over all values, in dB (capped when identical). */
  sqnrDb: z.number(),
  maxAbs: z.number(),
  samples: z.number().int(),
});
export type FidelitySummary = z.infer<typeof FidelitySummary>;

/** Error of one layer of a candidate model against a reference, measured on data. */
export const LayerErrorSummary = z.object({
  /** The layer's output value name (the same in both models). */
  name: z.string(),
  node: z.string(),
  opType: z.string(),
  /** True when the candidate computes this layer from quantized weights or activations. */
  quantized: z.boolean(),
  sqnrDb: z.number(),
  cosine: z.number(),
});
export type LayerErrorSummary = z.infer<typeof LayerErrorSummary>;

/** The data a measurement used. */
export const DataUsed = z.object({ description: z.string(), samples: z.number().int(), random: z.boolean(), labeled: z.boolean() });
export type DataUsed = z.infer<typeof DataUsed>;

/** Arguments of `eval.run`: a model measured on data, optionally against a reference model. */
export const EvaluateArgs = z
  .object({
    model: FilePath,
    /** Image folder, IDX, .npy/.npz or raw float32; without it, random inputs with a loud warning. */
    data: FilePath.optional(),
    /** Labels file (IDX, .npy or text), when the data does not carry them. */
    labels: FilePath.optional(),
    /** Normalization preset (`0-1`, `-1-1`, `imagenet`, `raw`) or `mean=…;std=…`. */
    normalize: z.string().min(1).max(256).optional(),
    /** A reference model (e.g. the float original) for fidelity and per-layer error. */
    reference: FilePath.optional(),
    /** Use at most this many samples. */
    limit: z.number().int().positive().optional(),
    /** Samples per run. */
    batchSize: z.number().int().positive().max(100_000).optional(),
    /** Per-layer error against the reference (ONNX pairs only). */
    perLayer: z.boolean().default(true),
  })
  .strict();
export type EvaluateArgs = z.infer<typeof EvaluateArgs>;

const ModelFacts = z.object({ path: z.string(), format: ModelFormat, sizeBytes: z.number().int().nonnegative() });

/** Result of `eval.run` (`lithe eval --json`). */
export const EvaluateReport = z.object({
  schema: z.literal('lithe.eval/1'),
  model: ModelFacts,
  reference: ModelFacts.extend({ accuracy: AccuracySummary.optional() }).optional(),
  data: DataUsed,
  accuracy: AccuracySummary.optional(),
  fidelity: FidelitySummary.optional(),
  /** Worst first; ONNX pairs only. */
  layers: z.array(LayerErrorSummary).optional(),
  warnings: z.array(z.string()),
  durationMs: z.number(),
});
export type EvaluateReport = z.infer<typeof EvaluateReport>;
