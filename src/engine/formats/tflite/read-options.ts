import type { ByteBuffer } from 'flatbuffers';
import { BuiltinOptions, unionToBuiltinOptions } from './generated/tflite/builtin-options';
import { BuiltinOptions2, unionToBuiltinOptions2 } from './generated/tflite/builtin-options2';
import { FlatbufferBoundsError } from './checked-byte-buffer';
import type { TableRef } from './table-fields';
import type { TfliteBuiltinOptions, TfliteOptionsTable } from './tflite-model';

interface GeneratedTable {
  __init(pos: number, bb: ByteBuffer): GeneratedTable;
  unpack(): TfliteOptionsTable;
}

/** Thrown when an options union names a table this schema does not know. */
export class UnknownOptionsError extends Error {}

function unpackOptions<T extends number>(
  table: TableRef,
  type: T,
  lookup: (type: T, accessor: (obj: GeneratedTable) => GeneratedTable) => unknown,
  unionName: string,
): TfliteBuiltinOptions<T> {
  const found = lookup(type, (obj) => obj.__init(table.pos, table.bb)) as GeneratedTable | null;
  if (!found) throw new UnknownOptionsError(`${unionName} type ${type} is not in Lithe's TFLite schema`);
  const unpacked = found.unpack();
  // Options tables hold no unions, so property i of the unpacked object is field i (slot 4 + 2i).
  const absentVectors: string[] = [];
  Object.keys(unpacked).forEach((key, i) => {
    const value = (unpacked as unknown as Record<string, unknown>)[key];
    if (Array.isArray(value) && value.length === 0 && table.bb.__offset(table.pos, 4 + 2 * i) === 0) absentVectors.push(key);
  });
  if (table.pos < 0) throw new FlatbufferBoundsError('options table offset is negative');
  return { type, table: unpacked, absentVectors };
}

/** Reads a BuiltinOptions union value. */
export function readBuiltinOptions(table: TableRef, type: number): TfliteBuiltinOptions<BuiltinOptions> {
  return unpackOptions(table, type as BuiltinOptions, unionToBuiltinOptions as never, 'builtin_options');
}

/** Reads a BuiltinOptions2 union value. */
export function readBuiltinOptions2(table: TableRef, type: number): TfliteBuiltinOptions<BuiltinOptions2> {
  return unpackOptions(table, type as BuiltinOptions2, unionToBuiltinOptions2 as never, 'builtin_options_2');
}
