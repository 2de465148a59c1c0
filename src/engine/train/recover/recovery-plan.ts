import type { Recipe } from '../../../contract/recipes';
import { LitheError } from '../../errors';

/** The trained form of each quantization step that has one. */
const TRAINED_FORM: Record<string, string> = {
  'quantize-int8-static': 'quantize-int8-qat',
  'quantize-int4-weights': 'quantize-int4-qat',
  'quantize-int8-qat': 'quantize-int8-qat',
  'quantize-int4-qat': 'quantize-int4-qat',
};
// Options a quantization step shares with its trained form, by the trained form's name for them.
const SHARED_OPTIONS: Record<string, Record<string, string>> = {
  'quantize-int8-static': { calibration: 'calibration', samples: 'calibrationSamples' },
  'quantize-int4-weights': { blockSize: 'blockSize', minElements: 'minElements' },
};
/** Steps whose integer or half-precision weights cannot be trained and that have no trained form. */
const UNTRAINABLE = new Set(['quantize-int8-dynamic', 'quantize-fp16', 'quantize-mixed']);

/** How a result whose recipe holds pass `name` is retrained (see `PassInfo.retraining`). */
export function retrainingOf(name: string): 'trained-form' | 'fine-tune' | 'none' {
  if (UNTRAINABLE.has(name)) return 'none';
  return TRAINED_FORM[name] ? 'trained-form' : 'fine-tune';
}

/** Training settings handed to the trained quantization step. */
export interface RetrainSettings {
  epochs: number;
  lr: number;
  batchSize: number;
  threads: number;
  seed: number;
  limit?: number | undefined;
}

/** How an optimization's result is retrained. */
export type RecoveryPlan =
  | { method: 'quantization-aware'; steps: (settings: RetrainSettings) => Recipe['steps']; notes: string[] }
  | { method: 'fine-tune'; notes: string[] };

/**
 * Reads a recipe as it ran: a quantization step with a trained form means the recipe runs again
 * from the original with that step trained (its calibration and block options carried over);
 * a recipe without quantization means its float result is fine-tuned.
 */
export function recoveryPlan(recipe: { name: string; steps: Recipe['steps'] }): RecoveryPlan {
  const blocked = recipe.steps.find((s) => UNTRAINABLE.has(s.pass));
  if (blocked)
    throw new LitheError(
      'unsupported',
      `The recipe's step ${blocked.pass} has no trained form, so its result cannot be retrained. Optimize with the int8-qat recipe instead, which trains while it quantizes.`,
    );
  const index = recipe.steps.findIndex((s) => TRAINED_FORM[s.pass]);
  if (index < 0)
    return {
      method: 'fine-tune',
      notes: ['The optimized model was fine-tuned towards the original’s answers; weights pruned to zero stayed zero.'],
    };
  const step = recipe.steps[index]!;
  const trained = TRAINED_FORM[step.pass]!;
  const shared = SHARED_OPTIONS[step.pass];
  const carried = Object.fromEntries(
    Object.entries(step.options).flatMap(([key, value]) => {
      const to = shared ? shared[key] : key;
      return to ? [[to, value]] : [];
    }),
  );
  const dropped = Object.keys(step.options).filter((key) => shared && !shared[key]);
  return {
    method: 'quantization-aware',
    steps: (s) => {
      const steps = [...recipe.steps];
      steps[index] = {
        pass: trained,
        options: {
          ...carried,
          epochs: s.epochs,
          lr: s.lr,
          batchSize: s.batchSize,
          threads: s.threads,
          seed: s.seed,
          ...(s.limit ? { samples: s.limit } : {}),
        },
      };
      return steps;
    },
    notes: [
      `The recipe ran again from the original with ${trained} in place of ${step.pass}: the model was fine-tuned while it saw the rounding, then quantized.`,
      ...(dropped.length
        ? [`The trained step does not take these options of ${step.pass}, so they were left out: ${dropped.join(', ')}.`]
        : []),
    ],
  };
}
