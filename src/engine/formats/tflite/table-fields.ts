import type { CheckedByteBuffer } from './checked-byte-buffer';

/**
 * Small readers for flatbuffer table fields by vtable slot (4 + 2 × field id), used where the
 * reader must tell an absent vector from an empty one, which the generated accessors hide.
 */
export interface TableRef {
  bb: CheckedByteBuffer;
  pos: number;
}

/** Position of a present field, or 0 when the field is absent. */
export function fieldPosition(t: TableRef, slot: number): number {
  const offset = t.bb.__offset(t.pos, slot);
  return offset ? t.pos + offset : 0;
}

/** Start and length of a vector field, or null when absent. */
export function vectorAt(t: TableRef, slot: number): { start: number; length: number } | null {
  const at = fieldPosition(t, slot);
  if (!at) return null;
  return { start: t.bb.__vector(at), length: t.bb.__vector_len(at) };
}

/** An int32 vector field, or null when absent. */
export function int32List(t: TableRef, slot: number): number[] | null {
  const v = vectorAt(t, slot);
  if (!v) return null;
  const out = new Array<number>(v.length);
  for (let i = 0; i < v.length; i++) out[i] = t.bb.readInt32(v.start + 4 * i);
  return out;
}

/** A float32 vector field, or null when absent. */
export function float32List(t: TableRef, slot: number): number[] | null {
  const v = vectorAt(t, slot);
  if (!v) return null;
  const out = new Array<number>(v.length);
  for (let i = 0; i < v.length; i++) out[i] = t.bb.readFloat32(v.start + 4 * i);
  return out;
}

/** An int64 vector field, or null when absent. */
export function int64List(t: TableRef, slot: number): bigint[] | null {
  const v = vectorAt(t, slot);
  if (!v) return null;
  const out = new Array<bigint>(v.length);
  for (let i = 0; i < v.length; i++) out[i] = t.bb.readInt64(v.start + 8 * i);
  return out;
}

/** A vector of unsigned integers of the given byte width, or null when absent. */
export function uintList(t: TableRef, slot: number, width: 1 | 2 | 4): number[] | null {
  const v = vectorAt(t, slot);
  if (!v) return null;
  const out = new Array<number>(v.length);
  for (let i = 0; i < v.length; i++) {
    const at = v.start + width * i;
    out[i] = width === 1 ? t.bb.readUint8(at) : width === 2 ? t.bb.readUint16(at) : t.bb.readUint32(at);
  }
  return out;
}

/** A byte vector field as a zero-copy view, or null when absent. */
export function bytesAt(t: TableRef, slot: number): Uint8Array | null {
  const at = fieldPosition(t, slot);
  return at ? t.bb.byteVector(at) : null;
}

/** A string field, or null when absent. */
export function stringAt(t: TableRef, slot: number): string | null {
  const at = fieldPosition(t, slot);
  return at ? (t.bb.__string(at) as string) : null;
}

/** The table a table-typed field points to, or null when absent. */
export function tableAt(t: TableRef, slot: number): TableRef | null {
  const at = fieldPosition(t, slot);
  return at ? { bb: t.bb, pos: t.bb.__indirect(at) } : null;
}

/** The tables of a vector-of-tables field, or null when absent. */
export function tableList(t: TableRef, slot: number): TableRef[] | null {
  const v = vectorAt(t, slot);
  if (!v) return null;
  const out = new Array<TableRef>(v.length);
  for (let i = 0; i < v.length; i++) out[i] = { bb: t.bb, pos: t.bb.__indirect(v.start + 4 * i) };
  return out;
}

/** A scalar field read with `read`, or `fallback` when absent. */
export function scalarAt<T>(t: TableRef, slot: number, read: (at: number) => T, fallback: T): T {
  const at = fieldPosition(t, slot);
  return at ? read(at) : fallback;
}
