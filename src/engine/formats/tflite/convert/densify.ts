import type { TfliteSparsity } from '../tflite-model';
import { cannot } from './op-context';

/**
 * Expands the stored values of a sparse TFLite tensor (TACO-style: per-level dense or CSR, optional
 * blocks) into dense row-major bytes of `shape`, the way TFLite's DENSIFY does.
 */
export function densify(values: Uint8Array, elementSize: number, shape: number[], sparsity: TfliteSparsity): Uint8Array {
  const order = sparsity.traversalOrder ?? cannot('the sparse tensor has no traversal order');
  const levels = sparsity.dimMetadata ?? cannot('the sparse tensor has no dimension metadata');
  const blockMap = sparsity.blockMap ?? [];
  const rank = shape.length;
  if (levels.length !== order.length) cannot('sparse metadata and traversal order disagree');
  const blockSize = blockMap.map((_, b) => levels[order.indexOf(rank + b)]?.denseSize ?? cannot('a sparse block has no size'));
  const strides = shape.map((_, i) => shape.slice(i + 1).reduce((a, d) => a * d, 1));
  const out = new Uint8Array(shape.reduce((a, d) => a * d, 1) * elementSize);
  const index = new Array<number>(order.length).fill(0);
  let next = 0;
  const visit = (level: number, previous: number): void => {
    if (level === order.length) {
      const orig = new Array<number>(rank).fill(0);
      for (let i = 0; i < rank; i++) orig[order[i]] = index[i];
      for (let i = rank; i < order.length; i++) {
        const b = order[i] - rank;
        orig[blockMap[b]] = orig[blockMap[b]] * blockSize[b] + index[i];
      }
      const at = orig.reduce((sum, v, d) => sum + v * strides[d], 0);
      if ((next + 1) * elementSize > values.length || (at + 1) * elementSize > out.length)
        cannot('the sparse data does not fit its metadata');
      out.set(values.subarray(next * elementSize, (next + 1) * elementSize), at * elementSize);
      next++;
      return;
    }
    const meta = levels[level];
    if (meta.format === 0) {
      for (let i = 0; i < meta.denseSize; i++) {
        index[level] = i;
        visit(level + 1, previous * meta.denseSize + i);
      }
      return;
    }
    const segments = meta.arraySegments?.values ?? cannot('a sparse level has no segments');
    const indices = meta.arrayIndices?.values ?? cannot('a sparse level has no indices');
    for (let i = segments[previous]; i < segments[previous + 1]; i++) {
      index[level] = indices[i];
      visit(level + 1, i);
    }
  };
  visit(0, 0);
  return out;
}
