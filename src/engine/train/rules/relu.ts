/**
 * Rectifiers.
 *
 *   Relu:      dX = dY·[X > 0]
 *   LeakyRelu: dX = dY·(X > 0 ? 1 : α)
 *   PRelu:     dX = dY·(X > 0 ? 1 : slope),  dSlope = Σ_broadcast dY·X·[X ≤ 0]
 *   Elu:       dX = dY·(X > 0 ? 1 : Y + α)
 */
import { reduceToShape } from '../broadcast';
import { defineRule } from '../rule';

export const reluRule = defineRule({
  ops: ['Relu', 'LeakyRelu', 'PRelu', 'Elu'],
  backward(c) {
    const { e, node, wants } = c;
    const x = c.input(0);
    const dy = c.gradOf(0);
    const positive = e.op('Greater', [x, e.floats(0)]);
    switch (node.opType) {
      case 'Relu':
        return [e.op('Where', [positive, dy, e.floats(0)])];
      case 'LeakyRelu':
        return [e.op('Where', [positive, dy, e.mul(dy, e.floats(node.float('alpha', 0.01)))])];
      case 'Elu':
        return [e.op('Where', [positive, dy, e.mul(dy, e.add(c.output(0), e.floats(node.float('alpha', 1))))])];
      default: {
        const slope = c.input(1);
        const dx = wants[0] ? e.op('Where', [positive, dy, e.mul(dy, slope)]) : undefined;
        const ds = wants[1] ? reduceToShape(e, e.op('Where', [positive, e.floats(0), e.mul(dy, x)]), c.output(0), slope) : undefined;
        return [dx, ds];
      }
    }
  },
});
