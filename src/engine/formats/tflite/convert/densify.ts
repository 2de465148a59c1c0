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
  if (!isTraversalOrder(order, rank, blockMap.length)) cannot('the sparse traversal order is not a permutation of the dimensions');
  // Each traversal level indexes one dense dimension; a block level refines the dimension its block maps to.
  const plan = order.map((d, i) => {
    const meta = levels[i] ?? cannot('sparse metadata and traversal order disagree');
    const dim = d < rank ? d : (blockMap[d - rank] ?? cannot('a sparse block has no dimension'));
    const size = shape[dim] ?? cannot(`a sparse block maps to dimension ${dim}, which the tensor lacks`);
    return { meta, dim, size, extent: 0, weight: 0, index: 0 };
  });
  // A level's weight in the dense offset: the stride of its dimension times the sizes of the later
  // (inner) block levels of that dimension, i.e. dense[d] = outer × blockSize + inner. Its extent:
  // the dimension's size divided by those block sizes.
  const inner = new Map<number, number>();
  for (const step of [...plan].reverse()) {
    const later = inner.get(step.dim) ?? 1;
    step.weight = shape.slice(step.dim + 1).reduce((a, d) => a * d, 1) * later;
    step.extent = step.size / later;
    if (step.meta.format === 0 && step.meta.denseSize > step.extent) cannot('a dense sparse-tensor level is larger than its dimension');
    inner.set(step.dim, later * step.meta.denseSize);
  }
  const out = new Uint8Array(shape.reduce((a, d) => a * d, 1) * elementSize);
  let next = 0;
  const visit = (level: number, previous: number): void => {
    const step = plan[level];
    if (!step) {
      const at = plan.reduce((sum, s) => sum + s.index * s.weight, 0);
      if ((next + 1) * elementSize > values.length || at < 0 || (at + 1) * elementSize > out.length)
        cannot('the sparse data does not fit its metadata');
      out.set(values.subarray(next * elementSize, (next + 1) * elementSize), at * elementSize);
      next++;
      return;
    }
    const { meta } = step;
    if (meta.format === 0) {
      for (let i = 0; i < meta.denseSize; i++) {
        step.index = i;
        visit(level + 1, previous * meta.denseSize + i);
      }
      return;
    }
    const segments = meta.arraySegments?.values ?? cannot('a sparse level has no segments');
    const indices = meta.arrayIndices?.values ?? cannot('a sparse level has no indices');
    const first = segments[previous];
    const end = segments[previous + 1];
    if (first === undefined || end === undefined) cannot('a sparse level has fewer segments than its parent level has entries');
    for (let i = first; i < end; i++) {
      const index = indices[i] ?? cannot('a sparse level has fewer indices than its segments count');
      if (!Number.isInteger(index) || index < 0 || index >= step.extent) cannot(`a sparse index (${index}) lies outside its dimension`);
      step.index = index;
      visit(level + 1, i);
    }
  };
  visit(0, 0);
  return out;
}

/** TFLite's rule: the first `rank` entries permute the tensor's dimensions, the others the `blocks` block dimensions after them. */
function isTraversalOrder(order: readonly number[], rank: number, blocks: number): boolean {
  return (
    order.length === rank + blocks &&
    new Set(order).size === order.length &&
    order.every((d, i) => Number.isInteger(d) && (i < rank ? d >= 0 && d < rank : d >= rank && d < order.length))
  );
}
