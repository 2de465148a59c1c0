import type { StepTolerance } from '../../passes/pass';

/**
 * Pruning and clustering change results on purpose, by as much as the user asked: the pipeline does
 * not fail them on generated inputs. Each such step reports its own fidelity (and keeps its target
 * when it chooses rates itself); accuracy on real data is what the report judges.
 */
export const LOSSY_TOLERANCE: StepTolerance = { atol: Infinity, rtol: Infinity, vectorRtol: Infinity, cosine: -1, agreement: 0, iou: 0 };
