import {
  bytesAt,
  float32List,
  int32List,
  int64List,
  scalarAt,
  stringAt,
  tableAt,
  tableList,
  uintList,
  type TableRef,
} from './table-fields';
import type {
  TfliteDimensionMetadata,
  TfliteQuantization,
  TfliteSparseIndexVector,
  TfliteSparsity,
  TfliteTensor,
  TfliteVariantSubType,
} from './tflite-model';

const SPARSE_KINDS = { 1: ['int32', 4], 2: ['uint16', 2], 3: ['uint8', 1] } as const;

function readQuantization(q: TableRef): TfliteQuantization {
  const detailsType = scalarAt(q, 12, (at) => q.bb.readUint8(at), 0);
  const details = detailsType === 1 ? tableAt(q, 14) : null;
  return {
    min: float32List(q, 4),
    max: float32List(q, 6),
    scale: float32List(q, 8),
    zeroPoint: int64List(q, 10),
    quantizedDimension: scalarAt(q, 16, (at) => q.bb.readInt32(at), 0),
    custom: details ? (bytesAt(details, 4) ?? new Uint8Array(0)) : null,
  };
}

function readSparseIndex(parent: TableRef, typeSlot: number, valueSlot: number): TfliteSparseIndexVector | null {
  const type = scalarAt(parent, typeSlot, (at) => parent.bb.readUint8(at), 0);
  const table = tableAt(parent, valueSlot);
  if (!table || !(type in SPARSE_KINDS)) return null;
  const [kind, width] = SPARSE_KINDS[type as 1 | 2 | 3];
  const values = width === 4 ? int32List(table, 4) : uintList(table, 4, width);
  return { kind, values };
}

function readDimensionMetadata(d: TableRef): TfliteDimensionMetadata {
  return {
    format: scalarAt(d, 4, (at) => d.bb.readInt8(at), 0),
    denseSize: scalarAt(d, 6, (at) => d.bb.readInt32(at), 0),
    arraySegments: readSparseIndex(d, 8, 10),
    arrayIndices: readSparseIndex(d, 12, 14),
  };
}

function readSparsity(s: TableRef): TfliteSparsity {
  return {
    traversalOrder: int32List(s, 4),
    blockMap: int32List(s, 6),
    dimMetadata: tableList(s, 8)?.map(readDimensionMetadata) ?? null,
  };
}

function readVariant(v: TableRef): TfliteVariantSubType {
  return {
    shape: int32List(v, 4),
    type: scalarAt(v, 6, (at) => v.bb.readInt8(at), 0),
    hasRank: scalarAt(v, 8, (at) => v.bb.readUint8(at) !== 0, false),
  };
}

/** Reads one Tensor table. */
export function readTensor(t: TableRef): TfliteTensor {
  const quantization = tableAt(t, 12);
  const sparsity = tableAt(t, 16);
  return {
    shape: int32List(t, 4),
    type: scalarAt(t, 6, (at) => t.bb.readInt8(at), 0),
    buffer: scalarAt(t, 8, (at) => t.bb.readUint32(at), 0),
    name: stringAt(t, 10),
    quantization: quantization ? readQuantization(quantization) : null,
    isVariable: scalarAt(t, 14, (at) => t.bb.readUint8(at) !== 0, false),
    sparsity: sparsity ? readSparsity(sparsity) : null,
    shapeSignature: int32List(t, 18),
    hasRank: scalarAt(t, 20, (at) => t.bb.readUint8(at) !== 0, false),
    variantTensors: tableList(t, 22)?.map(readVariant) ?? null,
  };
}
