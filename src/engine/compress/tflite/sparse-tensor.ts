// A dense weight tensor in TFLite's sparse storage (TACO-style dimension metadata, as DENSIFY reads it):
//   traversal order 0 … r−1, dimensions 0 … r−2 DENSE, the last dimension SPARSE_CSR:
//   array_segments[row] … array_segments[row+1] index the stored values of row `row` (the first r−1
//   dimensions flattened), array_indices holds each stored value's position in the last dimension.
import type { TfliteSparseIndexKind, TfliteSparsity } from '../../formats/tflite/tflite-model';

/** The sparse form of a tensor and its size. */
export interface SparseTensor {
  /** The non-zero elements, in row-major order. */
  values: Uint8Array;
  sparsity: TfliteSparsity;
  /** Bytes of values, segments and indices. */
  bytes: number;
}

function indexKind(largest: number): { kind: TfliteSparseIndexKind; width: number } {
  if (largest < 256) return { kind: 'uint8', width: 1 };
  if (largest < 65536) return { kind: 'uint16', width: 2 };
  return { kind: 'int32', width: 4 };
}

function isZero(data: Uint8Array, at: number, size: number): boolean {
  for (let k = 0; k < size; k++) if (data[at + k] !== 0) return false;
  return true;
}

/** Encodes `dense` (row-major, `elementSize` bytes per element) of `shape` with its last dimension in CSR form. */
export function toSparse(dense: Uint8Array, elementSize: number, shape: readonly number[]): SparseTensor {
  const last = shape[shape.length - 1] ?? 1;
  const rows = dense.length / elementSize / last;
  const segments: number[] = [0];
  const indices: number[] = [];
  const kept: number[] = [];
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < last; c++) {
      const at = (r * last + c) * elementSize;
      if (isZero(dense, at, elementSize)) continue;
      indices.push(c);
      kept.push(at);
    }
    segments.push(indices.length);
  }
  const values = new Uint8Array(kept.length * elementSize);
  kept.forEach((at, j) => values.set(dense.subarray(at, at + elementSize), j * elementSize));
  const seg = indexKind(indices.length);
  const idx = indexKind(last - 1);
  const dimMetadata = shape.map((size, d) =>
    d < shape.length - 1
      ? { format: 0, denseSize: size, arraySegments: null, arrayIndices: null }
      : { format: 1, denseSize: 0, arraySegments: { kind: seg.kind, values: segments }, arrayIndices: { kind: idx.kind, values: indices } },
  );
  return {
    values,
    sparsity: { traversalOrder: shape.map((_, d) => d), blockMap: null, dimMetadata },
    bytes: values.length + segments.length * seg.width + indices.length * idx.width,
  };
}
