import type { Builder, ByteBuffer } from 'flatbuffers';
import { LitheError } from '../../errors';

/** Writes `values` as a vector of `width`-byte entries with `add`, or returns 0 (absent) for null. */
function vector<T>(b: Builder, values: readonly T[] | null, width: number, alignment: number, add: (value: T) => void): number {
  if (!values) return 0;
  b.startVector(width, values.length, alignment);
  // The builder writes back to front.
  for (const value of values.toReversed()) add(value);
  return b.endVector();
}

/** Writes an int32 vector, or returns 0 (absent) for null; a value outside int32 is refused, never wrapped. */
export function int32Vector(b: Builder, values: readonly number[] | null): number {
  const bad = values?.find((v) => !Number.isInteger(v) || v < -(2 ** 31) || v > 2 ** 31 - 1);
  if (bad !== undefined) throw new LitheError('unsupported', `the value ${bad} does not fit in a 32-bit integer, as TFLite stores it`);
  return vector(b, values, 4, 4, (v) => b.addInt32(v));
}

/** Writes a float32 vector, or returns 0 (absent) for null. */
export function float32Vector(b: Builder, values: readonly number[] | null): number {
  return vector(b, values, 4, 4, (v) => b.addFloat32(v));
}

/** Writes an int64 vector, or returns 0 (absent) for null. */
export function int64Vector(b: Builder, values: readonly bigint[] | null): number {
  return vector(b, values, 8, 8, (v) => b.addInt64(v));
}

/** Writes a vector of unsigned integers of the given width, or returns 0 (absent) for null. */
export function uintVector(b: Builder, values: readonly number[] | null, width: 1 | 2 | 4, alignment = width): number {
  const add = width === 1 ? (v: number) => b.addInt8(v) : width === 2 ? (v: number) => b.addInt16(v) : (v: number) => b.addInt32(v);
  return vector(b, values, width, alignment, add);
}

/**
 * Writes a byte vector with the given alignment (TFLite buffers want 16), copying in one go.
 * Returns 0 (absent) for null.
 */
export function byteVector(b: Builder, data: Uint8Array | null, alignment = 1): number {
  if (!data) return 0;
  b.startVector(1, data.length, alignment);
  // The builder writes back to front; reserve the bytes and copy them in one call.
  const internals = b as unknown as { space: number; bb: ByteBuffer };
  internals.space -= data.length;
  internals.bb.bytes().set(data, internals.space);
  return b.endVector();
}

/** Writes a vector of offsets (tables or strings). */
export function offsetVector(b: Builder, offsets: readonly number[] | null): number {
  return vector(b, offsets, 4, 4, (o) => b.addOffset(o));
}

/** Writes a string, or returns 0 (absent) for null. */
export function stringOffset(b: Builder, value: string | null): number {
  return value === null ? 0 : b.createString(value);
}
