import type { StepTolerance } from '../passes/pass';
import { FLOAT16_TOLERANCE as FLOAT16, INT8_TOLERANCE } from '../verify/tolerance';

/**
 * How far int8 results may move on the pipeline's inputs (generated ones, or the user's data): close, not equal —
 * see INT8_TOLERANCE for what that allows per kind of output. Accuracy on real data is what the report then measures.
 */
export const QUANTIZATION_TOLERANCE: StepTolerance = INT8_TOLERANCE;

/** Float16 keeps about three decimal digits: outputs stay very close. */
export const FLOAT16_TOLERANCE: StepTolerance = FLOAT16;
