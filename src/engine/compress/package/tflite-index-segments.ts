import { CheckedByteBuffer } from '../../formats/tflite/checked-byte-buffer';
import { scalarAt, stringAt, tableAt, tableList, vectorAt, type TableRef } from '../../formats/tflite/table-fields';
import type { WeightSegment } from './find-segments';

// SparseIndexVector union codes (Int32Vector, Uint16Vector, Uint8Vector) and their element types.
const INDEX_TYPES: Record<number, { dtype: 'int32' | 'uint16' | 'uint8'; width: number }> = {
  1: { dtype: 'int32', width: 4 },
  2: { dtype: 'uint16', width: 2 },
  3: { dtype: 'uint8', width: 1 },
};

/**
 * The index vectors of sparse tensors in a TFLite flatbuffer (each dimension's array_segments and
 * array_indices): with many pruned weights stored sparse they are a large part of the file. Call
 * after the file was read successfully (offsets are bounds-checked all the same).
 */
export function tfliteIndexSegments(bytes: Uint8Array): WeightSegment[] {
  const bb = new CheckedByteBuffer(bytes);
  const root: TableRef = { bb, pos: bb.readInt32(0) };
  const out: WeightSegment[] = [];
  const add = (dim: TableRef, typeSlot: number, valueSlot: number, name: string): void => {
    const type = INDEX_TYPES[scalarAt(dim, typeSlot, (at) => bb.readUint8(at), 0)];
    const table = tableAt(dim, valueSlot);
    const vector = table && vectorAt(table, 4);
    if (!type || !vector || vector.length === 0) return;
    out.push({
      name,
      dtype: type.dtype,
      dims: [vector.length],
      offset: vector.start,
      length: vector.length * type.width,
      width: type.width,
    });
  };
  for (const graph of tableList(root, 8) ?? [])
    for (const tensor of tableList(graph, 4) ?? []) {
      const sparsity = tableAt(tensor, 16);
      if (!sparsity) continue;
      const name = stringAt(tensor, 10) ?? 'tensor';
      (tableList(sparsity, 8) ?? []).forEach((dim, d) => {
        add(dim, 8, 10, `${name} (sparse segments, dimension ${d})`);
        add(dim, 12, 14, `${name} (sparse indices, dimension ${d})`);
      });
    }
  return out;
}
