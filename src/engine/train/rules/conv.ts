/**
 * Conv (any groups — depthwise included —, strides, pads, dilations, 1-D to 3-D).
 *
 *   Y = Conv(X, W) + B
 *   dX = ConvTranspose(dY, W, same strides/pads/dilations/group, output_padding = r)
 *        r = (in + pads − ((k−1)·d + 1)) mod s   (the input sizes a strided conv cannot tell apart)
 *   dW = convWeightGrad(X, dY)                  (a convolution of X with dY as kernel, see conv-geometry)
 *   dB = Σ_{n, spatial} dY
 */
import { intsAttr } from '../../passes/util/attributes';
import {
  biasGrad,
  convGeometry,
  convOperands,
  convWeightGrad,
  geometryAttributes,
  matchSpatialEnd,
  outputPaddingFor,
  staticSpatial,
} from '../conv-geometry';
import { defineRule } from '../rule';

export const convRule = defineRule({
  ops: ['Conv'],
  backward(c) {
    const { e, wants } = c;
    const { x, w, wDims, dy } = convOperands(c);
    const g = convGeometry(c.node, wDims.slice(2), e.dims(x));
    const rank = g.spatial + 2;
    let dx;
    if (wants[0]) {
      const known = staticSpatial(e, x);
      const attrs = { ...geometryAttributes(g), ...(known ? { output_padding: intsAttr(outputPaddingFor(g, known)) } : {}) };
      const t = e.op('ConvTranspose', [dy, w], attrs);
      dx = known ? t : matchSpatialEnd(e, t, x, rank);
    }
    const dw = wants[1] ? convWeightGrad(e, x, dy, g, { input: x, output: c.output(0) }) : undefined;
    const db = wants[2] && c.node.inputs[2] ? biasGrad(c.e, dy, rank) : undefined;
    return [dx, dw, db];
  },
});
