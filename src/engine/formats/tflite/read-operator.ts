import { readBuiltinOptions, readBuiltinOptions2 } from './read-options';
import { bytesAt, int32List, scalarAt, tableAt, uintList, type TableRef } from './table-fields';
import type { TfliteOperator } from './tflite-model';

/** Where custom options stored outside the flatbuffer live (only for models over 2 GB). */
export interface ExternalRange {
  offset: bigint;
  size: bigint;
}

/** Reads one Operator table; `external` resolves out-of-flatbuffer custom options. */
export function readOperator(op: TableRef, external: (range: ExternalRange, what: string) => Uint8Array): TfliteOperator {
  const optionsType = scalarAt(op, 10, (at) => op.bb.readUint8(at), 0);
  const options = optionsType ? tableAt(op, 12) : null;
  const options2Type = scalarAt(op, 26, (at) => op.bb.readUint8(at), 0);
  const options2 = options2Type ? tableAt(op, 28) : null;
  const largeOffset = scalarAt(op, 22, (at) => op.bb.readUint64(at), 0n);
  const largeSize = scalarAt(op, 24, (at) => op.bb.readUint64(at), 0n);
  const customExternal = largeOffset > 1n;
  const mutating = uintList(op, 18, 1);
  return {
    opcodeIndex: scalarAt(op, 4, (at) => op.bb.readUint32(at), 0),
    inputs: int32List(op, 6) ?? [],
    outputs: int32List(op, 8) ?? [],
    builtinOptions: options ? readBuiltinOptions(options, optionsType) : null,
    builtinOptions2: options2 ? readBuiltinOptions2(options2, options2Type) : null,
    customOptions: customExternal ? external({ offset: largeOffset, size: largeSize }, 'custom options') : bytesAt(op, 14),
    customOptionsExternal: customExternal,
    customOptionsFormat: scalarAt(op, 16, (at) => op.bb.readInt8(at), 0),
    mutatingVariableInputs: mutating ? mutating.map((v) => v !== 0) : null,
    intermediates: int32List(op, 20),
    debugMetadataIndex: scalarAt(op, 30, (at) => op.bb.readInt32(at), -1),
  };
}
