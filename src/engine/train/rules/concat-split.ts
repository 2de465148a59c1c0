/**
 * Concat and Split, each the other's gradient.
 *
 *   Y = Concat(X₁ … Xₙ, axis)   dXᵢ = Split(dY, sizes = [dim(Xᵢ, axis)], axis)
 *   Y₁ … Yₙ = Split(X, axis)    dX = Concat(dY₁ … dYₙ, axis)   (zeros for outputs without a gradient)
 */
import type { Value } from '../../ir/value';
import { intAttr } from '../../passes/util/attributes';
import type { Emitter } from '../emitter';
import { defineRule } from '../rule';

function sizesAlong(e: Emitter, values: readonly Value[], axis: number): Value {
  const sizes = values.map((v) => {
    const dims = e.dims(v);
    const d = dims?.[axis < 0 ? dims.length + axis : axis];
    return typeof d === 'number' ? d : undefined;
  });
  if (sizes.every((s): s is number => s !== undefined)) return e.ints(sizes);
  return e.op(
    'Concat',
    values.map((v) => e.op('Gather', [e.shape(v), e.ints([axis])], { axis: intAttr(0) })),
    { axis: intAttr(0) },
  );
}

export const concatRule = defineRule({
  ops: ['Concat'],
  backward(c) {
    const { e, node } = c;
    const inputs = node.inputs.map((_, i) => c.input(i));
    const axis = node.int('axis', 0);
    if (inputs.length === 1) return [c.gradOf(0)];
    const parts = e.nodes('Split', [c.gradOf(0), sizesAlong(e, inputs, axis)], { axis: intAttr(axis) }, inputs.length);
    return parts.map((p, i) => (c.wants[i] ? p : undefined));
  },
});

export const splitRule = defineRule({
  ops: ['Split'],
  constantInputs: [1],
  backward(c) {
    const { e, node } = c;
    const parts = node.outputs.map((_, i) => (c.dY[i] ? c.gradOf(i) : e.zerosLike(c.output(i))));
    return [parts.length === 1 ? parts[0] : e.op('Concat', parts, { axis: intAttr(node.int('axis', 0)) })];
  },
});
