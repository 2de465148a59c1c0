/**
 * Piecewise-linear activations of mobile networks.
 *
 *   HardSigmoid: Y = clip(α·X + β, 0, 1)        dX = dY·α·[0 < α·X + β < 1]
 *   HardSwish:   Y = X·clip(X/6 + 1/2, 0, 1)    dX = dY·(X > 3 ? 1 : X < −3 ? 0 : (2X + 3)/6)
 */
import { defineRule } from '../rule';

export const hardActivationsRule = defineRule({
  ops: ['HardSigmoid', 'HardSwish'],
  backward(c) {
    const { e, node } = c;
    const x = c.input(0);
    const dy = c.gradOf(0);
    const zero = e.floats(0);
    if (node.opType === 'HardSigmoid') {
      const alpha = node.float('alpha', 0.2);
      const t = e.add(e.mul(x, e.floats(alpha)), e.floats(node.float('beta', 0.5)));
      const inside = e.op('And', [e.op('Greater', [t, zero]), e.op('Less', [t, e.floats(1)])]);
      return [e.op('Where', [inside, e.mul(dy, e.floats(alpha)), zero])];
    }
    const slope = e.div(e.add(e.mul(x, e.floats(2)), e.floats(3)), e.floats(6));
    const upper = e.op('Where', [e.op('Greater', [x, e.floats(3)]), e.floats(1), slope]);
    const local = e.op('Where', [e.op('Less', [x, e.floats(-3)]), zero, upper]);
    return [e.mul(dy, local)];
  },
});
