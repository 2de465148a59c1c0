/**
 * Smooth squashing functions, from their outputs.
 *
 *   Sigmoid: dX = dY·Y·(1 − Y)
 *   Tanh:    dX = dY·(1 − Y²)
 */
import { defineRule } from '../rule';

export const sigmoidTanhRule = defineRule({
  ops: ['Sigmoid', 'Tanh'],
  backward(c) {
    const { e, node } = c;
    const y = c.output(0);
    const dy = c.gradOf(0);
    const one = e.floats(1);
    if (node.opType === 'Sigmoid') return [e.mul(dy, e.mul(y, e.sub(one, y)))];
    return [e.mul(dy, e.sub(one, e.mul(y, y)))];
  },
});
