import type { StepTolerance } from '../passes/pass';

/**
 * How far int8 results may move on the pipeline's generated inputs. Quantization error is real and
 * expected (random inputs often leave the calibrated ranges), so this only catches broken results;
 * accuracy and fidelity on real data are what the report judges.
 */
export const QUANTIZATION_TOLERANCE: StepTolerance = { relative: 1, cosine: 0.9 };

/** Float16 keeps about three decimal digits: outputs stay very close. */
export const FLOAT16_TOLERANCE: StepTolerance = { relative: 0.05, cosine: 0.999 };
