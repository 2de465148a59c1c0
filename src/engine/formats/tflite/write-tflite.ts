import { Builder } from 'flatbuffers';
import { internalError } from '../../errors';
import { byteVector, int32Vector, offsetVector, stringOffset, uintVector } from './builder-helpers';
import { CheckedByteBuffer } from './checked-byte-buffer';
import { TFLITE_IDENTIFIER } from './sniff';
import { fieldPosition, tableList, type TableRef } from './table-fields';
import type { TfliteBuffer, TfliteModel, TfliteOperator, TfliteSignatureDef, TfliteSubgraph } from './tflite-model';
import { writeOptions } from './write-options';
import { writeTensor } from './write-tensor';

/** Options for {@link writeTflite}. */
export interface WriteTfliteOptions {
  /**
   * Store buffer data after the flatbuffer (offset/size) instead of inside it. Default: keep how
   * each buffer was stored; forced when the data would not fit in a 2 GB flatbuffer.
   */
  externalBuffers?: boolean;
}

const FLATBUFFER_LIMIT = 2 ** 31 - 1;
const PLACEHOLDER = 2n; // non-default, so the field is written; patched after finishing
const ALIGN = 16;

interface External {
  data: Uint8Array;
  /** Finds the table whose offset/size fields to patch, in the finished flatbuffer. */
  locate: (root: TableRef) => TableRef;
  offsetSlot: number;
}

/** Table `index` of the table vector in `slot`, in a flatbuffer this module has just written (so it exists). */
function writtenTable(t: TableRef, slot: number, index: number): TableRef {
  return tableList(t, slot)?.[index] ?? internalError(`the written flatbuffer has no table ${index} in field ${slot}`);
}

function writeOperator(b: Builder, op: TfliteOperator, externals: External[], g: number, o: number): number {
  const inputs = int32Vector(b, op.inputs);
  const outputs = int32Vector(b, op.outputs);
  const options = writeOptions(b, op.builtinOptions);
  const options2 = writeOptions(b, op.builtinOptions2);
  const custom = op.customOptionsExternal ? 0 : byteVector(b, op.customOptions);
  const mutating = op.mutatingVariableInputs ? uintVector(b, op.mutatingVariableInputs.map(Number), 1) : 0;
  const intermediates = int32Vector(b, op.intermediates);
  b.startObject(14);
  b.addFieldInt32(0, op.opcodeIndex, 0);
  b.addFieldOffset(1, inputs, 0);
  b.addFieldOffset(2, outputs, 0);
  if (op.builtinOptions) b.addFieldInt8(3, op.builtinOptions.type, 0);
  b.addFieldOffset(4, options, 0);
  b.addFieldOffset(5, custom, 0);
  b.addFieldInt8(6, op.customOptionsFormat, 0);
  b.addFieldOffset(7, mutating, 0);
  b.addFieldOffset(8, intermediates, 0);
  if (op.customOptionsExternal && op.customOptions) {
    b.addFieldInt64(9, PLACEHOLDER, 0n);
    b.addFieldInt64(10, BigInt(op.customOptions.length), 0n);
    externals.push({
      data: op.customOptions,
      locate: (root) => writtenTable(writtenTable(root, 8, g), 10, o),
      offsetSlot: 22,
    });
  }
  if (op.builtinOptions2) b.addFieldInt8(11, op.builtinOptions2.type, 0);
  b.addFieldOffset(12, options2, 0);
  b.addFieldInt32(13, op.debugMetadataIndex, -1);
  return b.endObject();
}

function writeSubgraph(b: Builder, g: TfliteSubgraph, externals: External[], gi: number): number {
  const tensors = offsetVector(
    b,
    g.tensors.map((t) => writeTensor(b, t)),
  );
  const inputs = int32Vector(b, g.inputs);
  const outputs = int32Vector(b, g.outputs);
  const operators = offsetVector(
    b,
    g.operators.map((op, oi) => writeOperator(b, op, externals, gi, oi)),
  );
  const name = stringOffset(b, g.name);
  b.startObject(6);
  b.addFieldOffset(0, tensors, 0);
  b.addFieldOffset(1, inputs, 0);
  b.addFieldOffset(2, outputs, 0);
  b.addFieldOffset(3, operators, 0);
  b.addFieldOffset(4, name, 0);
  b.addFieldInt32(5, g.debugMetadataIndex, -1);
  return b.endObject();
}

function writeTensorMaps(b: Builder, maps: TfliteSignatureDef['inputs']): number {
  if (!maps) return 0;
  return offsetVector(
    b,
    maps.map((m) => {
      const name = stringOffset(b, m.name);
      b.startObject(2);
      b.addFieldOffset(0, name, 0);
      b.addFieldInt32(1, m.tensorIndex, 0);
      return b.endObject();
    }),
  );
}

function writeSignature(b: Builder, s: TfliteSignatureDef): number {
  const inputs = writeTensorMaps(b, s.inputs);
  const outputs = writeTensorMaps(b, s.outputs);
  const key = stringOffset(b, s.signatureKey);
  const tag = stringOffset(b, s.deprecatedTag);
  b.startObject(5);
  b.addFieldOffset(0, inputs, 0);
  b.addFieldOffset(1, outputs, 0);
  b.addFieldOffset(2, key, 0);
  b.addFieldOffset(3, tag, 0);
  b.addFieldInt32(4, s.subgraphIndex, 0);
  return b.endObject();
}

function buildFlatbuffer(model: TfliteModel, externalBuffers: (buffer: TfliteBuffer) => boolean, externals: External[]): Uint8Array {
  const inline = model.buffers.reduce((sum, buf) => sum + (buf.data && !externalBuffers(buf) ? buf.data.length : 0), 0);
  const b = new Builder(Math.min(FLATBUFFER_LIMIT, inline + 65536));
  // Buffers first: their large payloads end up at the back of the file.
  const buffers = offsetVector(
    b,
    model.buffers.map((buf, i) => {
      const external = externalBuffers(buf) && buf.data !== null && buf.data.length > 0;
      const data = external ? 0 : byteVector(b, buf.data, ALIGN);
      b.startObject(3);
      b.addFieldOffset(0, data, 0);
      if (external && buf.data) {
        b.addFieldInt64(1, PLACEHOLDER, 0n);
        b.addFieldInt64(2, BigInt(buf.data.length), 0n);
        externals.push({ data: buf.data, locate: (root) => writtenTable(root, 12, i), offsetSlot: 6 });
      }
      return b.endObject();
    }),
  );
  const codes = offsetVector(
    b,
    model.operatorCodes.map((c) => {
      const custom = stringOffset(b, c.customCode);
      b.startObject(4);
      b.addFieldInt8(0, c.deprecatedBuiltinCode, 0);
      b.addFieldOffset(1, custom, 0);
      b.addFieldInt32(2, c.version, 1);
      b.addFieldInt32(3, c.builtinCode, 0);
      return b.endObject();
    }),
  );
  const subgraphs = offsetVector(
    b,
    model.subgraphs.map((g, gi) => writeSubgraph(b, g, externals, gi)),
  );
  const description = stringOffset(b, model.description);
  const metadataBuffer = int32Vector(b, model.metadataBuffer);
  const metadata = model.metadata
    ? offsetVector(
        b,
        model.metadata.map((m) => {
          const name = stringOffset(b, m.name);
          b.startObject(2);
          b.addFieldOffset(0, name, 0);
          b.addFieldInt32(1, m.buffer, 0);
          return b.endObject();
        }),
      )
    : 0;
  const signatures = model.signatureDefs
    ? offsetVector(
        b,
        model.signatureDefs.map((s) => writeSignature(b, s)),
      )
    : 0;
  b.startObject(8);
  b.addFieldInt32(0, model.version, 0);
  b.addFieldOffset(1, codes, 0);
  b.addFieldOffset(2, subgraphs, 0);
  b.addFieldOffset(3, description, 0);
  b.addFieldOffset(4, buffers, 0);
  b.addFieldOffset(5, metadataBuffer, 0);
  b.addFieldOffset(6, metadata, 0);
  b.addFieldOffset(7, signatures, 0);
  b.finish(b.endObject(), TFLITE_IDENTIFIER);
  return b.asUint8Array();
}

function appendExternals(flat: Uint8Array, externals: External[]): Uint8Array {
  const pad = (n: number): number => Math.ceil(n / ALIGN) * ALIGN;
  let size = pad(flat.length);
  const placed = externals.map((e) => {
    const at = size;
    size = pad(size + e.data.length);
    return { ...e, at };
  });
  const out = new Uint8Array(size);
  out.set(flat, 0);
  const bb = new CheckedByteBuffer(out);
  const root: TableRef = { bb, pos: bb.readInt32(0) };
  for (const e of placed) {
    out.set(e.data, e.at);
    bb.writeUint64(fieldPosition(e.locate(root), e.offsetSlot), BigInt(e.at));
  }
  return out;
}

/**
 * Writes a {@link TfliteModel} as .tflite bytes with the flatbuffers builder: absent fields stay
 * absent (no empty vectors invented), buffer data is 16-byte aligned, and buffers or custom options
 * that were stored outside the flatbuffer (models over 2 GB) are written the same way.
 */
export function writeTflite(model: TfliteModel, options: WriteTfliteOptions = {}): Uint8Array {
  const total = model.buffers.reduce((sum, buf) => sum + (buf.data?.length ?? 0), 0);
  const forceExternal = options.externalBuffers ?? total > FLATBUFFER_LIMIT - 64 * 1024 * 1024;
  const externalBuffers = (buffer: TfliteBuffer): boolean =>
    options.externalBuffers === undefined && !forceExternal ? buffer.external : forceExternal;
  const externals: External[] = [];
  const flat = buildFlatbuffer(model, externalBuffers, externals);
  return externals.length ? appendExternals(flat, externals) : flat;
}
