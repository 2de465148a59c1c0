import { LitheError } from '../../errors';
import { CheckedByteBuffer, FlatbufferBoundsError } from './checked-byte-buffer';
import { UnknownOptionsError } from './read-options';
import { readOperator, type ExternalRange } from './read-operator';
import { readTensor } from './read-tensor';
import { sniffTflite } from './sniff';
import { bytesAt, int32List, scalarAt, stringAt, tableList, type TableRef } from './table-fields';
import type { TfliteBuffer, TfliteModel, TfliteOperatorCode, TfliteSignatureDef, TfliteSubgraph, TfliteTensorMap } from './tflite-model';
import { validateTfliteModel } from './validate-tflite';

/** Options for {@link readTflite}. */
export interface ReadTfliteOptions {
  /** File name used in error messages. */
  file?: string;
}

/** The builtin code TFLite uses for an operator code: the larger of the new and the legacy field. */
export function resolveBuiltinCode(deprecatedBuiltinCode: number, builtinCode: number): number {
  return Math.max(deprecatedBuiltinCode, builtinCode);
}

function readOperatorCode(c: TableRef): TfliteOperatorCode {
  const deprecatedBuiltinCode = scalarAt(c, 4, (at) => c.bb.readInt8(at), 0);
  const builtinCode = scalarAt(c, 10, (at) => c.bb.readInt32(at), 0);
  return {
    code: resolveBuiltinCode(deprecatedBuiltinCode, builtinCode),
    deprecatedBuiltinCode,
    builtinCode,
    customCode: stringAt(c, 6),
    version: scalarAt(c, 8, (at) => c.bb.readInt32(at), 1),
  };
}

function readTensorMap(m: TableRef): TfliteTensorMap {
  return { name: stringAt(m, 4), tensorIndex: scalarAt(m, 6, (at) => m.bb.readUint32(at), 0) };
}

function readSignature(s: TableRef): TfliteSignatureDef {
  return {
    inputs: tableList(s, 4)?.map(readTensorMap) ?? null,
    outputs: tableList(s, 6)?.map(readTensorMap) ?? null,
    signatureKey: stringAt(s, 8),
    deprecatedTag: stringAt(s, 10),
    subgraphIndex: scalarAt(s, 12, (at) => s.bb.readUint32(at), 0),
  };
}

function externalReader(bytes: Uint8Array): (range: ExternalRange, what: string) => Uint8Array {
  return ({ offset, size }, what) => {
    if (offset + size > BigInt(bytes.length)) {
      throw new FlatbufferBoundsError(
        `${what} stored outside the flatbuffer (offset ${offset}, ${size} bytes) run past the end of the file (${bytes.length} bytes)`,
      );
    }
    return bytes.subarray(Number(offset), Number(offset + size));
  };
}

function readBuffer(b: TableRef, external: (range: ExternalRange, what: string) => Uint8Array, index: number): TfliteBuffer {
  const offset = scalarAt(b, 6, (at) => b.bb.readUint64(at), 0n);
  const size = scalarAt(b, 8, (at) => b.bb.readUint64(at), 0n);
  if (offset > 1n) return { data: external({ offset, size }, `buffer ${index}`), external: true };
  return { data: bytesAt(b, 4), external: false };
}

function readSubgraph(g: TableRef, external: (range: ExternalRange, what: string) => Uint8Array): TfliteSubgraph {
  return {
    tensors: tableList(g, 4)?.map(readTensor) ?? [],
    inputs: int32List(g, 6) ?? [],
    outputs: int32List(g, 8) ?? [],
    operators: tableList(g, 10)?.map((op) => readOperator(op, external)) ?? [],
    name: stringAt(g, 12),
    debugMetadataIndex: scalarAt(g, 14, (at) => g.bb.readInt32(at), -1),
  };
}

function decode(bytes: Uint8Array): TfliteModel {
  const bb = new CheckedByteBuffer(bytes);
  const root: TableRef = { bb, pos: bb.readInt32(0) };
  const external = externalReader(bytes);
  return {
    version: scalarAt(root, 4, (at) => bb.readUint32(at), 0),
    operatorCodes: tableList(root, 6)?.map(readOperatorCode) ?? [],
    subgraphs: tableList(root, 8)?.map((g) => readSubgraph(g, external)) ?? [],
    description: stringAt(root, 10),
    buffers: tableList(root, 12)?.map((b, i) => readBuffer(b, external, i)) ?? [],
    metadataBuffer: int32List(root, 14),
    metadata: tableList(root, 16)?.map((m) => ({ name: stringAt(m, 4), buffer: scalarAt(m, 6, (at) => bb.readUint32(at), 0) })) ?? null,
    signatureDefs: tableList(root, 18)?.map(readSignature) ?? null,
  };
}

/**
 * Reads a .tflite file into a {@link TfliteModel}. Every offset is bounds-checked; a corrupt or
 * truncated file, an index out of range or a subgraph that calls itself gives a `corrupt-model`
 * LitheError naming the file and the problem. Byte payloads stay views into `bytes`.
 */
export function readTflite(input: Uint8Array, options: ReadTfliteOptions = {}): TfliteModel {
  const file = options.file;
  // A plain Uint8Array view (not a Node Buffer), so payload views behave the same everywhere.
  const bytes = new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
  if (!sniffTflite(bytes)) {
    throw new LitheError('not-a-model', 'not a TFLite model (the "TFL3" identifier is missing at bytes 4..8)', { file });
  }
  let model: TfliteModel;
  try {
    model = decode(bytes);
  } catch (error) {
    if (error instanceof FlatbufferBoundsError || error instanceof RangeError) {
      throw new LitheError('corrupt-model', `the TFLite flatbuffer is corrupt or truncated: ${error.message}`, { file, cause: error });
    }
    if (error instanceof UnknownOptionsError) throw new LitheError('unsupported', error.message, { file, cause: error });
    throw error;
  }
  validateTfliteModel(model, file);
  return model;
}
