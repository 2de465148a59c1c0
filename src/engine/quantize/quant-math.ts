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
 * The lowest signal-to-noise ratio (dB) of any slice of `data` along `axis` when the whole tensor is
 * rounded to int8 with one scale: how much the weakest channel loses to sharing the largest one's scale.
 */
export function worstChannelSqnrDb(data: Float32Array, dims: readonly number[], axis: number): number {
  const q = quantizeWeights(data, dims, undefined);
  const scale = q.scales[0] ?? 1;
  const channels = dims[axis] ?? 1;
  const inner = dims.slice(axis + 1).reduce((n, d) => n * d, 1);
  const signal = new Float64Array(channels);
  const noise = new Float64Array(channels);
  for (const [i, value] of data.entries()) {
    const c = Math.floor(i / inner) % channels;
    signal[c] = (signal[c] ?? 0) + value * value;
    noise[c] = (noise[c] ?? 0) + ((q.values[i] ?? 0) * scale - value) ** 2;
  }
  let worst = Infinity;
  for (let c = 0; c < channels; c++) {
    const s = signal[c] ?? 0;
    const n = noise[c] ?? 0;
    if (s > 0) worst = Math.min(worst, n === 0 ? Infinity : 10 * Math.log10(s / n));
  }
  return worst;
}

/**
 * The axis a weight gets one scale per slice of: `axis`, or undefined (one scale) when every slice
 * keeps an SQNR of `perTensorFromDb` or more with one shared scale — a per-channel scale costs a
 * float and an int64 zero point per channel in a TFLite file, for the weight and again for its bias.
 */
export function weightScaleAxis(
  data: Float32Array,
  dims: readonly number[],
  axis: number | undefined,
  perTensorFromDb: number | undefined,
): number | undefined {
  if (axis === undefined || perTensorFromDb === undefined) return axis;
  return worstChannelSqnrDb(data, dims, axis) >= perTensorFromDb ? undefined : axis;
}

/**
 * Symmetric int8 quantization of a weight tensor along `axis` (one scale per slice), or per tensor
 * when `axis` is undefined. Weights use ±127 so that the int8 range stays symmetric.
 */
export function quantizeWeights(data: Float32Array, dims: readonly number[], axis: number | undefined): ChannelQuantized {
  const channels = axis === undefined ? 1 : dims[axis];
  if (channels === undefined) throw new RangeError(`quantizeWeights: axis ${axis} is outside the weight's ${dims.length} dimensions`);
  const inner = axis === undefined ? data.length : dims.slice(axis + 1).reduce((n, d) => n * d, 1);
  // Always below `channels`, so absMax[channelOf(i)] and scales[channelOf(i)] exist.
  const channelOf = (i: number): number => (axis === undefined ? 0 : Math.floor(i / inner) % channels);
  const absMax = new Float32Array(channels);
  for (const [i, value] of data.entries()) absMax[channelOf(i)] = Math.max(absMax[channelOf(i)]!, Math.abs(value));
  const scales = Float32Array.from(absMax, (m) => (m > 0 ? m / 127 : 1));
  const values = Int8Array.from(data, (value, i) => Math.max(-127, Math.min(127, Math.round(value / scales[channelOf(i)]!))));
  return { values, scales };
}
