// The integer arithmetic TFLite's integer kernels are written in (gemmlowp's fixed point on int16 and
// TFLite's quantized multipliers), computed here in plain numbers so that a converter can tabulate a
// kernel's exact results or pass its exact constants on:
//   int16 wraps like a C cast, saturate16 clamps, roundingHighMul16 is (a·b + ½·2¹⁵) / 2¹⁵ with C division,
//   roundingDivideByPot is x / 2ᵉ rounded to nearest with halves away from zero,
//   quantizeMultiplier splits a real multiplier into a Q31 fraction and a power of two.

export const INT16_MAX = 32767;
export const INT16_MIN = -32768;

/** `x` wrapped to int16, as a C cast does. */
export const int16 = (x: number): number => ((x + 0x8000) & 0xffff) - 0x8000;

/** `x` clamped to the int16 range. */
export const saturate16 = (x: number): number => Math.min(Math.max(x, INT16_MIN), INT16_MAX);

/** gemmlowp's SaturatingRoundingDoublingHighMul on int16 (nudge toward nearest, C division truncating). */
export function roundingHighMul16(a: number, b: number): number {
  if (a === INT16_MIN && b === INT16_MIN) return INT16_MAX;
  const ab = a * b;
  const nudge = ab >= 0 ? 1 << 14 : 1 - (1 << 14);
  return int16(Math.trunc((ab + nudge) / (1 << 15)));
}

/** gemmlowp's RoundingDivideByPOT on an int32: x / 2^e rounded to nearest, halves away from zero. */
export function roundingDivideByPot(x: number, e: number): number {
  const mask = (1 << e) - 1;
  const remainder = x & mask;
  const threshold = (mask >> 1) + (x < 0 ? 1 : 0);
  return (x >> e) + (remainder > threshold ? 1 : 0);
}

/** TFLite's QuantizeMultiplier: `m` = fixed / 2³¹ · 2^exponent with fixed a Q31 value in [2³⁰, 2³¹). */
export function quantizeMultiplier(m: number): [fixed: number, exponent: number] {
  if (m === 0) return [0, 0];
  let exponent = Math.floor(Math.log2(Math.abs(m))) + 1;
  let q = m / 2 ** exponent;
  // frexp's mantissa is in [0.5, 1); log2 can be off by one at powers of two
  if (Math.abs(q) >= 1) [q, exponent] = [q / 2, exponent + 1];
  if (Math.abs(q) < 0.5) [q, exponent] = [q * 2, exponent - 1];
  let fixed = Math.sign(q) * Math.round(Math.abs(q) * 2 ** 31);
  if (fixed === 2 ** 31) [fixed, exponent] = [fixed / 2, exponent + 1];
  if (exponent < -31) [fixed, exponent] = [0, 0];
  return [fixed, exponent];
}
