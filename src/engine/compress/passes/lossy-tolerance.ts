import type { StepTolerance } from '../../passes/pass';

/**
 * Pruning and clustering change results on purpose, by as much as the user asked: no bound on single values,
 * and accuracy on real data is what the report judges. But a step whose outputs no longer point the same way
 * (cosine below 0.5), or that changes the top answer on more than half of the samples, has broken the model
 * rather than compressed it: the pipeline then undoes the step and says so, instead of calling it "close" — or, when
 * the run asks to keep such steps (`keepBeyondTolerance`), keeps it and reports it as beyond its tolerance.
 */
export const LOSSY_TOLERANCE: StepTolerance = {
  atol: Infinity,
  rtol: Infinity,
  vectorRtol: Infinity,
  cosine: 0.5,
  agreement: 0.5,
  iou: 0.3,
};
