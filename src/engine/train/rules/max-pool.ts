/**
 * MaxPool. Windows that tile the input (kernel = stride, no pads or dilation) route the gradient
 * by comparison with the pooled maximum; other windows go through the indices of the chosen
 * elements (the forward node is then made to return them):
 *
 *   tiling:  M = [X = up(Y)],  dX = M · up(dY / Σ_window M)      (up: repeat each window's value over it;
 *            tied maxima share the gradient; rows and columns past the last window get none)
 *   indices: Y, I = MaxPool(X),  dX = ScatterElements(zeros[|X|], flat(I), flat(dY), reduction=add)
 *            (I: flat positions in X, padding not counted; overlapping windows add up)
 * GlobalMaxPool sends dY to the positions equal to the maximum.
 */
import type { Node } from '../../ir/node';
import { Value } from '../../ir/value';
import { intAttr, intsAttr, stringAttr } from '../../passes/util/attributes';
import type { Emitter } from '../emitter';
import { scatterAdd } from '../index-map';
import { defineRule } from '../rule';

// The window size when windows tile the input without overlap, padding or dilation.
function tilingKernel(node: Node, e: Emitter): number[] | undefined {
  const kernel = node.ints('kernel_shape');
  if (!kernel || node.outputs[1]) return undefined;
  const strides = node.ints('strides') ?? kernel.map(() => 1);
  const pads = node.ints('pads') ?? [];
  const dilations = node.ints('dilations') ?? [];
  const autoPad = node.string('auto_pad', 'NOTSET');
  const x = node.inputs[0];
  const rank = x ? e.dims(x)?.length : undefined;
  const tiles = kernel.every((k, i) => strides[i] === k) && pads.every((p) => p === 0) && dilations.every((d) => d === 1);
  return tiles && (autoPad === 'NOTSET' || autoPad === 'VALID') && node.int('ceil_mode', 0) === 0 && rank === kernel.length + 2
    ? kernel
    : undefined;
}

// Repeats every element of a pooled tensor over its k₁×k₂×… window: [N, C, a, b] → [N, C, a·k₁, b·k₂] (nearest-neighbour resize by whole factors).
function upsample(e: Emitter, v: Value, kernel: readonly number[]): Value {
  return e.op('Resize', [v, undefined, e.float32s([1, 1, ...kernel])], {
    mode: stringAttr('nearest'),
    coordinate_transformation_mode: stringAttr('asymmetric'),
    nearest_mode: stringAttr('floor'),
  });
}

export const maxPoolRule = defineRule({
  ops: ['MaxPool', 'GlobalMaxPool'],
  prepare(c) {
    if (c.node.opType !== 'MaxPool' || c.node.outputs[1] || tilingKernel(c.node, c.e)) return;
    const indices = c.e.value(`${c.node.outputs[0]?.name ?? 'maxpool'}_indices`);
    c.node.setOutput(1, indices);
    indices.type = {
      kind: 'tensor',
      dtype: 'int64',
      ...(c.node.outputs[0]?.type?.kind === 'tensor' ? { shape: c.node.outputs[0].type.shape } : {}),
    };
  },
  backward(c) {
    const { e, node } = c;
    const x = c.input(0);
    const dy = c.gradOf(0);
    if (node.opType === 'GlobalMaxPool') return [e.op('Where', [e.op('Equal', [x, c.output(0)]), dy, e.floats(0)])];
    const kernel = tilingKernel(node, e);
    if (kernel) {
      const y = c.output(0);
      const rank = kernel.length + 2;
      // The part of X the windows cover (floor mode leaves the last rows and columns out when sizes do not divide).
      const sizes = e.dims(x)?.slice(2);
      const divides = sizes?.every((d, i) => typeof d === 'number' && d % kernel[i]! === 0) ?? false;
      const covered = divides
        ? x
        : e.op('Slice', [
            x,
            e.ints(kernel.map(() => 0)),
            e.op('Mul', [e.op('Slice', [e.shape(y), e.ints([2]), e.ints([rank])]), e.ints(kernel)]),
            e.ints(kernel.map((_, i) => i + 2)),
          ]);
      const hits = e.op('Cast', [e.op('Equal', [covered, upsample(e, y, kernel)])], { to: intAttr(e.float === 'float64' ? 11 : 1) });
      const area = kernel.reduce((a, b) => a * b, 1);
      const ties = e.mul(e.op('AveragePool', [hits], { kernel_shape: intsAttr(kernel), strides: intsAttr(kernel) }), e.floats(area));
      const dx = e.mul(hits, upsample(e, e.div(dy, ties), kernel));
      if (divides) return [dx];
      const missing = e.sub(
        e.op('Slice', [e.shape(x), e.ints([2]), e.ints([rank])]),
        e.op('Slice', [e.shape(dx), e.ints([2]), e.ints([rank])]),
      );
      return [e.op('Pad', [dx, e.op('Concat', [e.ints(new Array<number>(rank + 2).fill(0)), missing], { axis: intAttr(0) })])];
    }
    if (node.int('storage_order', 0) !== 0) throw c.refuse('column-major indices (storage_order 1) are not supported');
    const indices = node.outputs[1];
    if (!(indices instanceof Value)) throw c.refuse('its indices output is missing');
    return [scatterAdd(e, x, indices, dy)];
  },
});
