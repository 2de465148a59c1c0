/**
 * ConvTranspose (groups, strides, pads, dilations, output_padding).
 *
 *   Y = ConvTranspose(X, W) + B      — the adjoint of Conv(·, W)
 *   dX = Conv(dY, W, same strides/pads/dilations/group)
 *   dW = convWeightGrad(dY, X)       (roles of input and output gradient exchanged)
 *   dB = Σ_{n, spatial} dY
 */
import { biasGrad, convGeometry, convOperands, convWeightGrad, geometryAttributes } from '../conv-geometry';
import { defineRule } from '../rule';

export const convTransposeRule = defineRule({
  ops: ['ConvTranspose'],
  backward(c) {
    const { e, wants } = c;
    const { x, w, wDims, dy } = convOperands(c);
    if (c.node.ints('output_shape') && c.node.string('auto_pad', 'NOTSET') === 'NOTSET' && !c.node.ints('pads'))
      throw c.refuse('output_shape without explicit pads is not supported; give pads');
    const g = convGeometry(c.node, wDims.slice(2), e.dims(x), true);
    const dx = wants[0] ? e.op('Conv', [dy, w], geometryAttributes(g)) : undefined;
    const dw = wants[1] ? convWeightGrad(e, dy, x, g, { input: c.output(0), output: x }) : undefined;
    const db = wants[2] && c.node.inputs[2] ? biasGrad(e, dy, g.spatial + 2) : undefined;
    return [dx, dw, db];
  },
});
