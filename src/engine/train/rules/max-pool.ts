/**
 * MaxPool, through the indices of the chosen elements (the forward node is made to return them):
 *
 *   Y, I = MaxPool(X)            I: flat positions in X (N·C·H·W layout, padding not counted)
 *   dX = Reshape(ScatterElements(zeros[|X|], flat(I), flat(dY), reduction=add), shape(X))
 * Overlapping windows add up. GlobalMaxPool sends dY to the positions equal to the maximum.
 */
import { Value } from '../../ir/value';
import { scatterAdd } from '../index-map';
import { defineRule } from '../rule';

export const maxPoolRule = defineRule({
  ops: ['MaxPool', 'GlobalMaxPool'],
  prepare(c) {
    if (c.node.opType !== 'MaxPool' || c.node.outputs[1]) return;
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
    if (node.int('storage_order', 0) !== 0) throw c.refuse('column-major indices (storage_order 1) are not supported');
    const indices = node.outputs[1];
    if (!(indices instanceof Value)) throw c.refuse('its indices output is missing');
    return [scatterAdd(e, x, indices, dy)];
  },
});
