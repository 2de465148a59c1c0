/** Integer type of quantized values. */
export type QuantType = 'int8' | 'uint8';

/** Scale and zero point of an affine quantization: real = scale × (q − zeroPoint). */
export interface QuantParams {
  scale: number;
  zeroPoint: number;
}

/** The integer range of a quantized type. */
export function qRange(type: QuantType | 'int4' | 'uint4'): [number, number] {
  switch (type) {
    case 'int8':
      return [-128, 127];
    case 'uint8':
      return [0, 255];
    case 'int4':
      return [-8, 7];
    case 'uint4':
      return [0, 15];
  }
}

/**
 * Scale and zero point covering [min, max] (always including 0, so zero is exact). Symmetric
 * ranges use zero point 0 (int8) or 128 (uint8) and ±max(|min|, |max|); int8 symmetric uses ±127.
 */
export function computeParams(min: number, max: number, type: QuantType, symmetric: boolean): QuantParams {
  const lo = Math.min(0, min);
  const hi = Math.max(0, max);
  const [qmin, qmax] = qRange(type);
  if (symmetric) {
    const bound = Math.max(Math.abs(lo), Math.abs(hi));
    const half = type === 'int8' ? 127 : 127.5;
    const scale = bound > 0 ? bound / half : 1;
    return { scale, zeroPoint: type === 'int8' ? 0 : 128 };
  }
  const scale = hi > lo ? (hi - lo) / (qmax - qmin) : 1;
  const zeroPoint = Math.min(qmax, Math.max(qmin, Math.round(qmin - lo / scale)));
  return { scale, zeroPoint };
}

/** Quantizes one value. */
export function quantizeValue(value: number, p: QuantParams, type: QuantType | 'int4' | 'uint4'): number {
  const [qmin, qmax] = qRange(type);
  return Math.min(qmax, Math.max(qmin, Math.round(value / p.scale) + p.zeroPoint));
}

/** Per-channel weight quantization result: int values in the weight's layout and one scale per channel. */
export interface ChannelQuantized {
  values: Int8Array;
  scales: Float32Array;
}

/**
 * Symmetric int8 quantization of a weight tensor along `axis` (one scale per slice), or per tensor
 * when `axis` is undefined. Weights use ±127 so that the int8 range stays symmetric.
 */
export function quantizeWeights(data: Float32Array, dims: readonly number[], axis: number | undefined): ChannelQuantized {
  const channels = axis === undefined ? 1 : dims[axis]!;
  const inner = axis === undefined ? data.length : dims.slice(axis + 1).reduce((n, d) => n * d, 1);
  const channelOf = (i: number): number => (axis === undefined ? 0 : Math.floor(i / inner) % channels);
  const absMax = new Float32Array(channels);
  for (let i = 0; i < data.length; i++) absMax[channelOf(i)] = Math.max(absMax[channelOf(i)]!, Math.abs(data[i]!));
  const scales = Float32Array.from(absMax, (m) => (m > 0 ? m / 127 : 1));
  const values = new Int8Array(data.length);
  for (let i = 0; i < data.length; i++) values[i] = Math.max(-127, Math.min(127, Math.round(data[i]! / scales[channelOf(i)]!)));
  return { values, scales };
}

/** float32 → IEEE half bits (round to nearest even, overflow to infinity, subnormals kept). */
export function toHalfBits(value: number): number {
  const f32 = new Float32Array([value]);
  const bits = new Uint32Array(f32.buffer)[0]!;
  const sign = (bits >>> 16) & 0x8000;
  const exponent = (bits >>> 23) & 0xff;
  const mantissa = bits & 0x7fffff;
  if (exponent === 0xff) return sign | 0x7c00 | (mantissa ? 0x200 : 0);
  const e = exponent - 127 + 15;
  if (e >= 31) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign;
    const m = mantissa | 0x800000;
    const shift = 14 - e;
    const half = m >>> shift;
    const rest = m & ((1 << shift) - 1);
    const mid = 1 << (shift - 1);
    return sign | (rest > mid || (rest === mid && half & 1) ? half + 1 : half);
  }
  const half = (e << 10) | (mantissa >>> 13);
  const rest = mantissa & 0x1fff;
  return sign | (rest > 0x1000 || (rest === 0x1000 && half & 1) ? half + 1 : half);
}
