/**
 * How far a model's outputs may move, output by output. A value may move by `atol + rtol × scale`, where the scale
 * fits the output (its largest |value|; 1 for probabilities and masks; the coordinate spread for landmarks), so
 * outputs that are all near zero are judged against the absolute floor `atol`, not against their own tiny size.
 */
export interface Tolerance {
  /** Absolute floor of the allowed error, in the output's units. */
  atol: number;
  /** Allowed error relative to the scale, value by value: one-value outputs, probabilities, landmarks, integers. */
  rtol: number;
  /** The same for outputs judged as a whole (vectors, class scores, masks): a sanity bound beside their own metrics. */
  vectorRtol: number;
  /** Smallest cosine similarity of a vector or class-score output (per sample). */
  cosine: number;
  /** Smallest share of agreeing top-1 classes (class scores), pixels (masks) or equal values (integers). */
  agreement: number;
  /** Smallest intersection-over-union of a mask's foreground. */
  iou: number;
}

/**
 * Float rounding: what exact rewrites (folding, fusing, reordering float arithmetic) may move. Results within it are
 * reported as "within float rounding".
 */
export const FLOAT_ROUNDING: Tolerance = { atol: 1e-6, rtol: 1e-4, vectorRtol: 1e-4, cosine: 0.99999, agreement: 1, iou: 1 };

/** Float16 keeps about three decimal digits: a score moves by a few thousandths at most. */
export const FLOAT16_TOLERANCE: Tolerance = { atol: 1e-3, rtol: 0.02, vectorRtol: 0.05, cosine: 0.999, agreement: 0.98, iou: 0.95 };

/**
 * 8-bit quantization: outputs stay close, not equal. A score or one-value output may move by 0.01 + 10 % (a 37 % move
 * of a presence score fails), vectors keep cosine 0.99, class scores 90 % top-1 agreement, masks IoU 0.8.
 */
export const INT8_TOLERANCE: Tolerance = { atol: 0.01, rtol: 0.1, vectorRtol: 0.5, cosine: 0.99, agreement: 0.9, iou: 0.8 };

/** 4-bit weights lose more than 8-bit ones; still a wrong answer fails. */
export const INT4_TOLERANCE: Tolerance = { atol: 0.02, rtol: 0.15, vectorRtol: 0.5, cosine: 0.98, agreement: 0.85, iou: 0.75 };

/** The loosest of several tolerances, field by field (the bound a whole recipe's result is held to). */
export function loosest(tolerances: readonly Tolerance[]): Tolerance {
  return tolerances.reduce(
    (a, b) => ({
      atol: Math.max(a.atol, b.atol),
      rtol: Math.max(a.rtol, b.rtol),
      vectorRtol: Math.max(a.vectorRtol, b.vectorRtol),
      cosine: Math.min(a.cosine, b.cosine),
      agreement: Math.min(a.agreement, b.agreement),
      iou: Math.min(a.iou, b.iou),
    }),
    FLOAT_ROUNDING,
  );
}
