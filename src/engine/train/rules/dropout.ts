/**
 * Dropout. While training, the forward node runs in training mode and returns its mask:
 *
 *   Y = X·M/(1 − r)     dX = dY·M/(1 − r)
 * Without dropout in training (or for a model already in inference form) it is the identity.
 */
import { intAttr } from '../../passes/util/attributes';
import { defineRule } from '../rule';

export const dropoutRule = defineRule({
  ops: ['Dropout'],
  constantInputs: [1, 2],
  prepare(c) {
    const { node, e } = c;
    if (!c.mode.dropout) {
      node.inputs = node.inputs.slice(0, 2);
      node.outputs = node.outputs.slice(0, 1);
      return;
    }
    node.inputs = [node.inputs[0], node.inputs[1] ?? e.floats(0.5), e.bool(true)];
    if (!node.outputs[1]) node.setOutput(1, e.value(`${node.outputs[0]?.name ?? 'dropout'}_mask`));
  },
  backward(c) {
    const { e, node } = c;
    const dy = c.gradOf(0);
    const mask = node.outputs[1];
    if (!mask) return [dy];
    const ratio = node.inputs[1] ?? e.floats(0.5);
    const kept = e.op('Cast', [mask], { to: intAttr(e.float === 'float64' ? 11 : 1) });
    return [e.div(e.mul(dy, kept), e.sub(e.floats(1), e.op('CastLike', [ratio, dy])))];
  },
});
