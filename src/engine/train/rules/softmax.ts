/**
 * Softmax and LogSoftmax along `axis` (opset ≥ 13 semantics: one axis).
 *
 *   Softmax:    dX = Y·(dY − Σ_axis dY·Y)
 *   LogSoftmax: dX = dY − e^Y·Σ_axis dY
 */
import { defineRule } from '../rule';

export const softmaxRule = defineRule({
  ops: ['Softmax', 'LogSoftmax'],
  backward(c) {
    const { e, node } = c;
    const y = c.output(0);
    const dy = c.gradOf(0);
    const axis = node.int('axis', -1);
    if (node.opType === 'Softmax') return [e.mul(y, e.sub(dy, e.reduceSum(e.mul(dy, y), [axis], true)))];
    return [e.sub(dy, e.mul(e.op('Exp', [y]), e.reduceSum(dy, [axis], true)))];
  },
});
