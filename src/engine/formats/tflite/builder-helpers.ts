import type { Builder, ByteBuffer } from 'flatbuffers';

/** Writes an int32 vector, or returns 0 (absent) for null. */
export function int32Vector(b: Builder, values: readonly number[] | null): number {
  if (!values) return 0;
  b.startVector(4, values.length, 4);
  for (let i = values.length - 1; i >= 0; i--) b.addInt32(values[i]);
  return b.endVector();
}

/** Writes a float32 vector, or returns 0 (absent) for null. */
export function float32Vector(b: Builder, values: readonly number[] | null): number {
  if (!values) return 0;
  b.startVector(4, values.length, 4);
  for (let i = values.length - 1; i >= 0; i--) b.addFloat32(values[i]);
  return b.endVector();
}

/** Writes an int64 vector, or returns 0 (absent) for null. */
export function int64Vector(b: Builder, values: readonly bigint[] | null): number {
  if (!values) return 0;
  b.startVector(8, values.length, 8);
  for (let i = values.length - 1; i >= 0; i--) b.addInt64(values[i]);
  return b.endVector();
}

/** Writes a vector of unsigned integers of the given width, or returns 0 (absent) for null. */
export function uintVector(b: Builder, values: readonly number[] | null, width: 1 | 2 | 4, alignment = width): number {
  if (!values) return 0;
  b.startVector(width, values.length, alignment);
  for (let i = values.length - 1; i >= 0; i--) {
    if (width === 1) b.addInt8(values[i]);
    else if (width === 2) b.addInt16(values[i]);
    else b.addInt32(values[i]);
  }
  return b.endVector();
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
  if (!offsets) return 0;
  b.startVector(4, offsets.length, 4);
  for (let i = offsets.length - 1; i >= 0; i--) b.addOffset(offsets[i]);
  return b.endVector();
}

/** Writes a string, or returns 0 (absent) for null. */
export function stringOffset(b: Builder, value: string | null): number {
  return value === null ? 0 : b.createString(value);
}
