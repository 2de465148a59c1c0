/**
 * Operators that move data without changing it: the gradient goes back to where each element came
 * from, through an index map (see index-map.ts): the operator applied to [0 … n−1] shaped like X.
 *
 *   Slice:          dX = scatter_add(dY at Slice(map, starts, ends, axes, steps))
 *   Gather:         dX = scatter_add(dY at Gather(map, indices, axis))      (repeated indices add up)
 *   GatherElements: dX = scatter_add(dY at GatherElements(map, indices, axis))
 *   Pad:            dX = scatter_add(dY at Pad(map, pads, mode; constant padding → index n, dropped))
 */
import { defineRule } from '../rule';
import { scatterThroughIndexMap } from '../index-map';

export const slicePadGatherRule = defineRule({
  ops: ['Slice', 'Gather', 'GatherElements', 'Pad'],
  constantInputs: [1, 2, 3, 4],
  backward(c) {
    const { e, node } = c;
    const x = c.input(0);
    const dy = c.gradOf(0);
    const constantPad = node.opType === 'Pad' && node.string('mode', 'constant') === 'constant';
    const dx = scatterThroughIndexMap(
      e,
      x,
      dy,
      (map, count) => {
        const rest = node.inputs.slice(1);
        if (node.opType !== 'Pad') return e.op(node.opType, [map, ...rest], attributesOf(node));
        const [pads, , axes] = rest;
        return e.op('Pad', [map, pads, constantPad ? count : undefined, axes], attributesOf(node));
      },
      constantPad,
    );
    return [dx];
  },
});

function attributesOf(node: { attributes: { name: string; value: import('../../ir/attribute').AttributeValue }[] }) {
  return Object.fromEntries(node.attributes.map((a) => [a.name, a.value]));
}
