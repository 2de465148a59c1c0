import type { OptimizeReport, PassInfo } from '../../../contract';
import { formatPercent } from '../format/numbers';
import { undoneSteps } from './run-status';

/** Why retraining is worth offering for a run, and how the engine would retrain it. */
export interface RetrainOffer {
  /** Plain words: what was lost ("the accuracy fell from 91.0 % to 84.0 % on your data"). */
  why: string;
  /** `trained-form`: the recipe runs again with its quantization step trained; `fine-tune`: the result is trained towards the original. */
  method: 'trained-form' | 'fine-tune';
}

/**
 * Whether to offer "retrain to recover accuracy" (`train.recover`) for `report`: only when the data
 * the run used is known, every step can be retrained (`PassInfo.retraining` from the engine), and
 * something was lost — accuracy on the labels, the original's top answer without labels, or a
 * quantization step with a trained form that was undone. Undefined when there is nothing to offer.
 */
export function retrainOffer(report: OptimizeReport, passes: readonly PassInfo[], dataKnown: boolean): RetrainOffer | undefined {
  const evaluation = report.evaluation;
  if (!dataKnown || !evaluation || evaluation.data.random) return undefined;
  const retraining = (pass: string) => passes.find((entry) => entry.name === pass)?.retraining ?? 'none';
  const kinds = report.recipe.steps.map((step) => retraining(step.pass));
  if (kinds.length === 0 || kinds.includes('none')) return undefined;
  const method = kinds.includes('trained-form') ? 'trained-form' : 'fine-tune';
  const { accuracyBefore: before, accuracyAfter: after, fidelity } = evaluation;
  const undone = undoneSteps(report).find((step) => retraining(step.pass) === 'trained-form');
  if (undone) return { method, why: `“${undone.title}” was undone because it changed the answers too much` };
  if (before && after && after.top1 < before.top1)
    return { method, why: `the accuracy fell from ${formatPercent(before.top1, 1)} to ${formatPercent(after.top1, 1)} on your data` };
  if (!before && fidelity && fidelity.top1Agreement < 1)
    return { method, why: `the top answer differs from the original’s on ${formatPercent(1 - fidelity.top1Agreement, 1)} of your samples` };
  return undefined;
}
