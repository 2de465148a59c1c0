import type { Builder } from 'flatbuffers';
import { byteVector, float32Vector, int32Vector, int64Vector, offsetVector, stringOffset, uintVector } from './builder-helpers';
import type { TfliteQuantization, TfliteSparseIndexVector, TfliteSparsity, TfliteTensor, TfliteVariantSubType } from './tflite-model';

const SPARSE_TYPES = { int32: [1, 4], uint16: [2, 2], uint8: [3, 1] } as const;

function writeQuantization(b: Builder, q: TfliteQuantization): number {
  const min = float32Vector(b, q.min);
  const max = float32Vector(b, q.max);
  const scale = float32Vector(b, q.scale);
  const zeroPoint = int64Vector(b, q.zeroPoint);
  let details = 0;
  if (q.custom) {
    const custom = byteVector(b, q.custom, 16);
    b.startObject(1);
    b.addFieldOffset(0, custom, 0);
    details = b.endObject();
  }
  b.startObject(7);
  b.addFieldOffset(0, min, 0);
  b.addFieldOffset(1, max, 0);
  b.addFieldOffset(2, scale, 0);
  b.addFieldOffset(3, zeroPoint, 0);
  if (details) {
    b.addFieldInt8(4, 1, 0);
    b.addFieldOffset(5, details, 0);
  }
  b.addFieldInt32(6, q.quantizedDimension, 0);
  return b.endObject();
}

function writeSparseIndex(b: Builder, v: TfliteSparseIndexVector | null): [number, number] {
  if (!v) return [0, 0];
  const [type, width] = SPARSE_TYPES[v.kind];
  const values = width === 4 ? int32Vector(b, v.values) : uintVector(b, v.values, width, 4);
  b.startObject(1);
  b.addFieldOffset(0, values, 0);
  return [type, b.endObject()];
}

function writeSparsity(b: Builder, s: TfliteSparsity): number {
  const traversal = int32Vector(b, s.traversalOrder);
  const blockMap = int32Vector(b, s.blockMap);
  const dims =
    s.dimMetadata?.map((d) => {
      const [segType, seg] = writeSparseIndex(b, d.arraySegments);
      const [idxType, idx] = writeSparseIndex(b, d.arrayIndices);
      b.startObject(6);
      b.addFieldInt8(0, d.format, 0);
      b.addFieldInt32(1, d.denseSize, 0);
      if (seg) b.addFieldInt8(2, segType, 0);
      b.addFieldOffset(3, seg, 0);
      if (idx) b.addFieldInt8(4, idxType, 0);
      b.addFieldOffset(5, idx, 0);
      return b.endObject();
    }) ?? null;
  const dimVector = offsetVector(b, dims);
  b.startObject(3);
  b.addFieldOffset(0, traversal, 0);
  b.addFieldOffset(1, blockMap, 0);
  b.addFieldOffset(2, dimVector, 0);
  return b.endObject();
}

function writeVariant(b: Builder, v: TfliteVariantSubType): number {
  const shape = int32Vector(b, v.shape);
  b.startObject(3);
  b.addFieldOffset(0, shape, 0);
  b.addFieldInt8(1, v.type, 0);
  b.addFieldInt8(2, v.hasRank ? 1 : 0, 0);
  return b.endObject();
}

/** Writes one Tensor table and returns its offset. */
export function writeTensor(b: Builder, t: TfliteTensor): number {
  const shape = int32Vector(b, t.shape);
  const name = stringOffset(b, t.name);
  const quantization = t.quantization ? writeQuantization(b, t.quantization) : 0;
  const sparsity = t.sparsity ? writeSparsity(b, t.sparsity) : 0;
  const signature = int32Vector(b, t.shapeSignature);
  const variants = t.variantTensors
    ? offsetVector(
        b,
        t.variantTensors.map((v) => writeVariant(b, v)),
      )
    : 0;
  b.startObject(10);
  b.addFieldOffset(0, shape, 0);
  b.addFieldInt8(1, t.type, 0);
  b.addFieldInt32(2, t.buffer, 0);
  b.addFieldOffset(3, name, 0);
  b.addFieldOffset(4, quantization, 0);
  b.addFieldInt8(5, t.isVariable ? 1 : 0, 0);
  b.addFieldOffset(6, sparsity, 0);
  b.addFieldOffset(7, signature, 0);
  b.addFieldInt8(8, t.hasRank ? 1 : 0, 0);
  b.addFieldOffset(9, variants, 0);
  return b.endObject();
}
