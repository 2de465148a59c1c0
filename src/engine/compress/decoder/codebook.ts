import type { ByteReader } from './byte-reader';
import { CODEBOOK_KIND, MAX_ALPHABET } from './format';

/** The 32-bit pattern of the float32 equal to IEEE half-precision `h` (exact for every half value). */
export function halfToFloatBits(h: number): number {
  const sign = (h & 0x8000) << 16;
  const exponent = (h >> 10) & 0x1f;
  let mantissa = h & 0x3ff;
  if (exponent === 31) return (sign | 0x7f800000 | (mantissa << 13)) >>> 0;
  if (exponent !== 0) return (sign | ((exponent + 112) << 23) | (mantissa << 13)) >>> 0;
  if (mantissa === 0) return sign >>> 0;
  let shifts = 0;
  while ((mantissa & 0x400) === 0) {
    mantissa <<= 1;
    shifts++;
  }
  return (sign | ((113 - shifts) << 23) | ((mantissa & 0x3ff) << 13)) >>> 0;
}

/**
 * Reads a codebook: entry count, storage kind, entries; returns the entries expanded to `width`
 * bytes each (little-endian), concatenated. `minEntries` is 1 for dense codebooks, 0 for sparse.
 */
export function readCodebook(reader: ByteReader, width: number, minEntries: number): { entries: Uint8Array; count: number } {
  const count = reader.varintAtMost(MAX_ALPHABET, 'the codebook size');
  if (count < minEntries) throw reader.fail('the codebook is empty');
  const kind = reader.u8();
  const entries = new Uint8Array(count * width);
  if (kind === CODEBOOK_KIND.raw) {
    entries.set(reader.take(count * width));
    return { entries, count };
  }
  if ((kind !== CODEBOOK_KIND.float16 && kind !== CODEBOOK_KIND.bfloat16) || width !== 4)
    throw reader.fail(`codebook storage kind ${kind} is unknown for ${width}-byte elements`);
  const view = new DataView(entries.buffer);
  for (let i = 0; i < count; i++) {
    const half = reader.u16();
    view.setUint32(i * 4, kind === CODEBOOK_KIND.float16 ? halfToFloatBits(half) : half * 65536, true);
  }
  return { entries, count };
}
