import type { z } from 'zod';
import type { EngineContext } from '../context';
import type { DataSource } from '../data/batch';
import type { Model } from '../ir/model';
import { FLOAT_ROUNDING, type Tolerance } from '../verify/tolerance';

/** The model formats a pass can work on (a model's `format`). */
export type ModelFormat = 'onnx' | 'tflite';

/**
 * A place where a pass's pattern matched but a check declined it, and why, in words:
 * `{ node: 'bn3', reason: 'the convolution before it has weights computed at run time' }`.
 */
export interface SkippedCandidate {
  /** The node (its name, or its first output's name when it has none). */
  node: string;
  /** Why the pass left it alone, as a phrase a user can read. */
  reason: string;
}

/** What a pass reports after one run. */
export interface PassResult {
  /** True when the model changed. */
  changed: boolean;
  /** Counts for the report, e.g. `{ nodesRemoved: 3 }`. */
  stats: Record<string, number>;
  /** Plain-language notes for the user (what the step did, what it could not do). */
  notes?: string[];
  /** Candidates the pass declined, each with its reason. */
  skipped?: SkippedCandidate[];
}

/** What a pass receives besides its options: progress, cancel and, when given, data samples (calibration). */
export interface PassContext extends EngineContext {
  /** Real samples for calibration and accuracy-aware passes; passes that need data fall back to random samples with a warning. */
  data?: DataSource;
}

/** Tolerance a step's change in outputs must stay within, checked by running original and result (see verify/tolerance). */
export type StepTolerance = Tolerance;

/**
 * A graph transformation: a small module with a name, a plain-language description and an options
 * schema. The schema also drives the CLI flags, the recipe validation and the wizard's form.
 */
export interface Pass<Schema extends z.ZodObject = z.ZodObject> {
  /** Stable identifier used in recipes, e.g. `fold-batchnorm`. */
  name: string;
  /** Short title for people. */
  title: string;
  /** What it does and why it helps, in plain words. */
  description: string;
  options: Schema;
  /** The model formats the pass works on; the pipeline skips it, saying so, for any other. */
  formats: readonly ModelFormat[];
  /** How far outputs may move; exact rewrites keep the default (numerically equivalent). */
  tolerance?: StepTolerance;
  /** True when running the pass again can find more to do (it is repeated until nothing changes). */
  fixedPoint?: boolean;
  /** True when the pass learns from example data (calibration); without data it falls back to random samples and says so. */
  needsData?: boolean;
  /**
   * True when the pass only prepares the model for the next step (equalization before quantization): it is
   * undone with that step when that step is undone or changes nothing, so a recipe that gave up leaves no trace.
   */
  prepares?: boolean;
  run(model: Model, options: z.infer<Schema>, ctx: PassContext): PassResult | Promise<PassResult>;
}

/** The tolerance of rewrites that should not change results beyond float rounding. */
export const EXACT_TOLERANCE: StepTolerance = FLOAT_ROUNDING;

/** Builds a pass with its option types inferred from the schema. */
export function definePass<Schema extends z.ZodObject>(pass: Pass<Schema>): Pass<Schema> {
  return pass;
}
