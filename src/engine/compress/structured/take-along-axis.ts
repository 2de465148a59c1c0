import { dtypeBits } from '../../ir/dtype';
import type { Tensor } from '../../ir/tensor';
import type { Value } from '../../ir/value';

/** A run of `block` consecutive positions per channel along one axis (Flatten puts H·W positions after each channel). */
export interface AxisCut {
  axis: number;
  /** The channels to keep, in order. */
  keep: readonly number[];
  block: number;
}

/** True when `t`'s elements are whole bytes, so channels can be cut out of its data. */
export function canCut(t: Tensor): boolean {
  const bits = dtypeBits(t.dtype);
  return bits > 0 && bits % 8 === 0;
}

/**
 * Keeps only the channels `cut.keep` of `t` along `cut.axis` (each channel `cut.block` positions
 * long), in place; the stored value's type follows.
 *
 *   dims [4, 3] axis 0 keep [0, 2]  →  rows 0 and 2, dims [2, 3]
 */
export function cutTensor(t: Tensor, cut: AxisCut, stored?: Value): void {
  const size = dtypeBits(t.dtype) / 8;
  const length = t.dims[cut.axis] ?? 1;
  const inner = t.dims.slice(cut.axis + 1).reduce((a, b) => a * b, 1) * size;
  const outer = t.dims.slice(0, cut.axis).reduce((a, b) => a * b, 1);
  const run = cut.block * inner;
  const bytes = t.bytes();
  const out = new Uint8Array(outer * cut.keep.length * run);
  let at = 0;
  for (let o = 0; o < outer; o++) {
    const base = o * length * inner;
    for (const c of cut.keep) {
      const start = base + c * run;
      out.set(bytes.subarray(start, start + run), at);
      at += run;
    }
  }
  t.dims = t.dims.map((d, i) => (i === cut.axis ? cut.keep.length * cut.block : d));
  t.setBytes(out);
  if (stored?.type?.kind === 'tensor') {
    const type = { ...stored.type, shape: [...t.dims] };
    if (stored.typeInferred) stored.setInferredType(type);
    else stored.type = type;
  }
}
