import { z } from 'zod';
import { AccuracySummary, DataUsed, FidelitySummary, LayerErrorSummary } from './evaluate';
import { Recipe } from './recipes';

/** How far outputs moved, worst over all outputs and samples. */
export const VerificationSummary = z.object({
  status: z.enum(['passed', 'failed', 'unavailable']),
  /** Why verification could not run, or what failed. */
  reason: z.string().optional(),
  inputs: z.enum(['random', 'data']).optional(),
  samples: z.number().int().optional(),
  maxAbs: z.number().optional(),
  relative: z.number().optional(),
  cosine: z.number().optional(),
  /** Absent when the outputs are identical (no noise at all). */
  sqnrDb: z.number().optional(),
  top1Agreement: z.number().optional(),
  outputs: z
    .array(
      z.object({
        name: z.string(),
        /** Absent when the outputs cannot be compared (see `mismatch`). */
        maxAbs: z.number().optional(),
        relative: z.number().optional(),
        cosine: z.number(),
        /** Absent when the outputs are identical (no noise at all) or cannot be compared. */
        sqnrDb: z.number().optional(),
        top1Agreement: z.number().optional(),
        mismatch: z.string().optional(),
      }),
    )
    .optional(),
});
export type VerificationSummary = z.infer<typeof VerificationSummary>;

/** One recipe step as it ran. */
export const StepSummary = z.object({
  pass: z.string(),
  title: z.string(),
  options: z.record(z.string(), z.unknown()),
  changed: z.boolean(),
  iterations: z.number().int(),
  stats: z.record(z.string(), z.number()),
  notes: z.array(z.string()),
  /** Places the step's pattern matched but it declined, each with the reason in words. */
  skipped: z.array(z.object({ node: z.string(), reason: z.string() })).default([]),
  /** True when a repeating step was stopped by the round limit while it was still changing the model. */
  roundLimitReached: z.boolean().default(false),
  nodesBefore: z.number().int(),
  nodesAfter: z.number().int(),
  durationMs: z.number(),
  relativeError: z.number().optional(),
});
export type StepSummary = z.infer<typeof StepSummary>;

/** Facts of a model file on one side of an optimization. */
export const ModelSide = z.object({
  path: z.string(),
  format: z.enum(['onnx', 'tflite']),
  sizeBytes: z.number().int(),
  sha256: z.string(),
  nodeCount: z.number().int(),
  opCounts: z.record(z.string(), z.number().int()),
});
export type ModelSide = z.infer<typeof ModelSide>;

/** The original and the optimized model measured on the user's data (`--data`). */
export const EvaluationSummary = z.object({
  data: DataUsed,
  accuracyBefore: AccuracySummary.optional(),
  accuracyAfter: AccuracySummary.optional(),
  fidelity: FidelitySummary.optional(),
  /** Worst first; ONNX pairs only. */
  layers: z.array(LayerErrorSummary).optional(),
});
export type EvaluationSummary = z.infer<typeof EvaluationSummary>;

/** Everything an optimization run recorded (`report.json`). */
export const OptimizeReport = z.object({
  schema: z.literal('lithe.optimize/1'),
  createdAt: z.string(),
  runDir: z.string(),
  versions: z.record(z.string(), z.string()),
  recipe: z.object({
    name: z.string(),
    title: z.string().optional(),
    description: z.string().optional(),
    steps: z.array(z.object({ pass: z.string(), options: z.record(z.string(), z.unknown()) })),
  }),
  input: ModelSide,
  output: ModelSide,
  steps: z.array(StepSummary),
  verification: VerificationSummary,
  /** Accuracy before/after and fidelity on the given data, when data was given. */
  evaluation: EvaluationSummary.optional(),
  durationMs: z.number(),
  warnings: z.array(z.string()),
});
export type OptimizeReport = z.infer<typeof OptimizeReport>;

/** Arguments of an optimization run. */
export const OptimizeArgs = z
  .object({
    model: z.string().min(1),
    /** Run folder to create; defaults to a new folder among the runs. */
    outDir: z.string().min(1).optional(),
    /** Built-in recipe name, path of a recipe JSON file, or a recipe given as data (e.g. a built-in one with changed options). */
    recipe: z.union([z.string().min(1), Recipe]).default('graph'),
    format: z.enum(['onnx', 'tflite']).optional(),
    /** Data for calibration and the accuracy check: image folder, IDX, .npy/.npz or raw float32. */
    data: z.string().min(1).optional(),
    /** Labels file (IDX, .npy or text), when the data does not carry them. */
    labels: z.string().min(1).optional(),
    /** Normalization preset (`0-1`, `-1-1`, `imagenet`, `raw`) or `mean=…;std=…`. */
    normalize: z.string().min(1).optional(),
  })
  .strict();
export type OptimizeArgs = z.infer<typeof OptimizeArgs>;
