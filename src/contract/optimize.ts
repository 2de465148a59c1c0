import { z } from 'zod';
import { AccuracySummary, DataUsed, FidelitySummary, LayerErrorSummary } from './evaluate';
import { Recipe } from './recipes';
import { SizeReport } from './size';

/** The verdict on a result: no value moved, within float rounding, close (within the recipe's tolerance), changed. */
export const FidelityVerdict = z.enum(['identical', 'within-float-rounding', 'close', 'changed']);
export type FidelityVerdict = z.infer<typeof FidelityVerdict>;

/** What an output holds, which decides how it is compared (see the engine's profileOutput). */
export const OutputKind = z.enum(['class-scores', 'probabilities', 'mask', 'landmarks', 'vector', 'scalar', 'integers']);
export type OutputKind = z.infer<typeof OutputKind>;

/** One output of the original against the same output of the result, measured as its kind calls for. */
export const OutputVerification = z.object({
  name: z.string(),
  kind: OutputKind.optional(),
  /** Why this kind, in words ("values in [0, 1] from Sigmoid"). */
  kindReason: z.string().optional(),
  verdict: FidelityVerdict.optional(),
  /** "identical", "within float rounding", "close: cosine 0.9990", "changed: largest difference 0.33 …". */
  words: z.string().optional(),
  /** The scale errors are relative to: the largest |value|, 1 for probabilities and masks, the spread of landmarks. */
  scale: z.number().optional(),
  /** Absent when the outputs cannot be compared (see `mismatch`). */
  maxAbs: z.number().optional(),
  relative: z.number().optional(),
  /** Vectors, class scores and landmarks only (one-value outputs have none). */
  cosine: z.number().optional(),
  /** Absent when the outputs are identical (no noise at all) or cannot be compared. */
  sqnrDb: z.number().optional(),
  /** Class scores: share of rows whose top class agrees. */
  top1Agreement: z.number().optional(),
  /** Masks: share of pixels on the same side of 0.5; integers: share of equal values. */
  agreement: z.number().optional(),
  /** Masks: intersection over union of the pixels above 0.5. */
  iou: z.number().optional(),
  mismatch: z.string().optional(),
});
export type OutputVerification = z.infer<typeof OutputVerification>;

/** How far outputs moved, worst over all outputs and samples, and the verdict in words. */
export const VerificationSummary = z.object({
  /** `passed`: every output within the tolerance the result is held to. */
  status: z.enum(['passed', 'failed', 'unavailable']),
  verdict: FidelityVerdict.optional(),
  /** The verdict in words, for people; the UI shows it as it is. */
  words: z.string().optional(),
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
  outputs: z.array(OutputVerification).optional(),
});
export type VerificationSummary = z.infer<typeof VerificationSummary>;

/** One recipe step as it ran. */
export const StepSummary = z.object({
  pass: z.string(),
  title: z.string(),
  options: z.record(z.string(), z.unknown()),
  /** False for a step that found nothing to do, and for a step that was rolled back. */
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
  /** How the step's result compared with the original ("within float rounding", "close: cosine 0.9990"). */
  verdict: FidelityVerdict.optional(),
  words: z.string().optional(),
  /** Set when the step failed or changed the results beyond its tolerance: it was undone and the recipe went on. */
  undone: z.object({ reason: z.string() }).optional(),
  /** Set when the step changed the results beyond its tolerance and was kept, because the run asked for it (`keepBeyondTolerance`). */
  beyondTolerance: z.object({ reason: z.string() }).optional(),
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
    package: z.boolean().optional(),
  }),
  input: ModelSide,
  output: ModelSide,
  steps: z.array(StepSummary),
  /** One line for people: what the run achieved, or that it changed nothing, did less than promised or skipped steps. */
  headline: z.string().default(''),
  /** False when no step changed the model (the written model is the original). */
  changed: z.boolean().default(true),
  /** Why the recipe did less than it promises, in words (nothing changed; most weights left in float; a step undone). */
  shortfall: z.string().optional(),
  verification: VerificationSummary,
  /** Accuracy before/after and fidelity on the given data, when data was given. */
  evaluation: EvaluationSummary.optional(),
  /** File sizes (gzip, brotli, zstd, .lithe package), weight entropy and run-time memory of both sides; `package` is the path of the output's package. */
  size: z.object({ input: SizeReport, output: SizeReport, package: z.string().optional() }).optional(),
  durationMs: z.number(),
  warnings: z.array(z.string()),
  /** Layers the recipe kept in float; absent when no step of the recipe can keep layers in float. */
  keptInFloat: z.array(z.string()).optional(),
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
    /** Stop at the first step that fails or changes the results beyond its tolerance, instead of undoing it and going on. */
    strict: z.boolean().optional(),
    /** Keep a step that changes the results beyond its tolerance (the report says so, step by step) instead of undoing it. */
    keepBeyondTolerance: z.boolean().optional(),
    /**
     * Layers (node names, output names or operator types) to keep in float: added to the `exclude`
     * option of every step that can keep layers in float; the recipe is then called `<name>-keep-float`.
     */
    keepInFloat: z.array(z.string().min(1).max(1024)).max(10_000).optional(),
  })
  .strict();
export type OptimizeArgs = z.infer<typeof OptimizeArgs>;
