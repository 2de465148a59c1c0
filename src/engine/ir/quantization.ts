/**
 * Affine quantization of a tensor: real = scale × (q − zeroPoint). One scale (per tensor) or one
 * per slice along `axis` (per channel). Replace the whole object to change it: writers compare it
 * with what was read to keep an unchanged file byte for byte.
 */
export interface ValueQuantization {
  scale: number[];
  /** One per scale (or a single one shared by all). */
  zeroPoint: number[];
  /** The dimension the per-channel parameters run along; 0 when there is one scale. */
  axis: number;
  /** Real range the parameters were chosen for, when the file records it (TFLite `min`/`max`). */
  min?: number[];
  max?: number[];
}

/** Per-tensor quantization with one scale and zero point. */
export function perTensorQuantization(scale: number, zeroPoint: number): ValueQuantization {
  return { scale: [scale], zeroPoint: [zeroPoint], axis: 0 };
}
