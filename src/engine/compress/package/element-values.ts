import { halfToFloatBits } from '../decoder/codebook';

/** Element `i` of little-endian `data` with `width` 1, 2 or 4 bytes, as an unsigned integer. */
export function elementAt(data: Uint8Array, i: number, width: number): number {
  const p = i * width;
  if (width === 1) return data[p] as number;
  if (width === 2) return (data[p] as number) | ((data[p + 1] as number) << 8);
  return ((data[p] as number) | ((data[p + 1] as number) << 8) | ((data[p + 2] as number) << 16)) + (data[p + 3] as number) * 2 ** 24;
}

/** The half-precision pattern equal to the float32 pattern `bits`, or `undefined` when none is exactly equal. */
export function exactHalf(bits: number): number | undefined {
  const sign = (bits >>> 16) & 0x8000;
  const exponent = (bits >>> 23) & 0xff;
  const mantissa = bits & 0x7fffff;
  let half: number;
  if (exponent === 0xff) half = sign | 0x7c00 | (mantissa >>> 13);
  else if (exponent === 0) half = sign;
  else {
    const e = exponent - 112;
    if (e >= 31) return undefined;
    if (e >= 1) half = sign | (e << 10) | (mantissa >>> 13);
    else half = e < -10 ? sign : sign | ((mantissa | 0x800000) >>> (14 - e));
  }
  return halfToFloatBits(half) === bits >>> 0 ? half : undefined;
}

/** Distinct element values with their counts, or `undefined` as soon as there are more than `limit`. */
export function valueCounts(data: Uint8Array, width: number, limit: number): Map<number, number> | undefined {
  const n = data.length / width;
  if (width <= 2) {
    const table = new Uint32Array(width === 1 ? 256 : 65536);
    for (let i = 0; i < n; i++) {
      const v = width === 1 ? (data[i] as number) : (data[2 * i] as number) | ((data[2 * i + 1] as number) << 8);
      table[v] = (table[v] as number) + 1;
    }
    const counts = new Map<number, number>();
    for (let v = 0; v < table.length; v++) {
      if (table[v] === 0) continue;
      if (counts.size >= limit) return undefined;
      counts.set(v, table[v] as number);
    }
    return counts;
  }
  const counts = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    const v = elementAt(data, i, width);
    const c = counts.get(v);
    if (c === undefined) {
      if (counts.size >= limit) return undefined;
      counts.set(v, 1);
    } else counts.set(v, c + 1);
  }
  return counts;
}

/** True when every byte of element `i` is zero. */
export function isZeroElement(data: Uint8Array, i: number, width: number): boolean {
  for (let k = 0; k < width; k++) if (data[i * width + k] !== 0) return false;
  return true;
}
