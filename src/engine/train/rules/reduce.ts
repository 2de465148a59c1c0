/**
 * ReduceSum and ReduceMean (axes as attribute or input, keepdims, noop_with_empty_axes).
 *
 *   ReduceSum:  dX = Expand(keepdims ? dY : Unsqueeze(dY, axes), shape(X))
 *   ReduceMean: the same divided by |X| / |Y| (the number of elements averaged)
 * No axes reduces everything (or nothing, with noop_with_empty_axes).
 */
import { intAttr } from '../../passes/util/attributes';
import { elementCount } from '../index-map';
import { defineRule } from '../rule';

export const reduceRule = defineRule({
  ops: ['ReduceSum', 'ReduceMean'],
  constantInputs: [1],
  backward(c) {
    const { e, node } = c;
    const x = c.input(0);
    const y = c.output(0);
    let dy = c.gradOf(0);
    const attrAxes = node.ints('axes');
    const axesInput = node.inputs[1];
    const noAxes = !attrAxes && !axesInput;
    if (noAxes && node.int('noop_with_empty_axes', 0) === 1) return [dy];
    if (node.int('keepdims', 1) === 0 && !noAxes) dy = e.op('Unsqueeze', [dy, attrAxes ? e.ints(attrAxes) : axesInput]);
    let dx = e.op('Expand', [dy, e.shapeOf(x)]);
    if (node.opType === 'ReduceMean') {
      const count = e.op('Cast', [e.op('Div', [elementCount(e, x), elementCount(e, y)])], { to: intAttr(e.float === 'float64' ? 11 : 1) });
      dx = e.div(dx, count);
    }
    return [dx];
  },
});
