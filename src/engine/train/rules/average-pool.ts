/**
 * AveragePool and GlobalAveragePool.
 *
 *   AveragePool: dX = ConvTranspose(dY / divisor, ones[k]) per channel, same strides/pads/dilations,
 *                divisor = window area, or with count_include_pad = 0 the number of real (non-pad)
 *                elements in each window = Conv(ones(X), ones[k], pads)
 *   GlobalAveragePool: dX = Expand(dY, shape(X)) / (H·W·…)
 */
import type { Value } from '../../ir/value';
import { intAttr, intsAttr } from '../../passes/util/attributes';
import { convGeometry, convOutputSize, matchSpatialEnd, outputPaddingFor, spatialShape, staticSpatial } from '../conv-geometry';
import type { Emitter } from '../emitter';
import { elementCount } from '../index-map';
import { defineRule } from '../rule';

function onesKernel(e: Emitter, kernel: number[]): Value {
  const n = kernel.reduce((a, b) => a * b, 1);
  return e.floats(new Array<number>(n).fill(1), [1, 1, ...kernel]);
}

export const averagePoolRule = defineRule({
  ops: ['AveragePool', 'GlobalAveragePool'],
  backward(c) {
    const { e, node } = c;
    const x = c.input(0);
    const dy = c.gradOf(0);
    if (node.opType === 'GlobalAveragePool') {
      const size = e.op('Cast', [e.op('Div', [elementCount(e, x), elementCount(e, c.output(0))])], {
        to: intAttr(e.float === 'float64' ? 11 : 1),
      });
      return [e.div(e.op('Expand', [dy, e.shapeOf(x)]), size)];
    }
    const kernel = node.ints('kernel_shape');
    if (!kernel) throw c.refuse('it has no kernel_shape');
    const g = convGeometry(node, kernel, e.dims(x));
    const known = staticSpatial(e, x);
    if (node.int('ceil_mode', 0) === 1 && !(known && known.every((s, i) => fitsExactly(s, g, i))))
      throw c.refuse('ceil_mode with windows that run past the edge is not supported');
    const rank = g.spatial + 2;
    const windowAttrs = { strides: intsAttr(g.strides), dilations: intsAttr(g.dilations), pads: intsAttr(g.pads) };
    const padded = g.pads.some((p) => p > 0);
    let divisor: Value;
    if (node.int('count_include_pad', 0) === 1 || !padded) divisor = e.floats(kernel.reduce((a, b) => a * b, 1));
    else {
      const plane = e.op('Slice', [e.zerosLike(x), e.ints([0, 0]), e.ints([1, 1]), e.ints([0, 1])]);
      divisor = e.op('Conv', [e.add(plane, e.floats(1)), onesKernel(e, kernel)], windowAttrs);
    }
    const outShape = spatialShape(e, c.output(0), rank);
    const perChannel = e.op('Reshape', [e.div(dy, divisor), e.op('Concat', [e.ints([-1, 1]), outShape], { axis: intAttr(0) })]);
    const outputPadding = known && outputPaddingFor(g, known);
    const spread = e.op('ConvTranspose', [perChannel, onesKernel(e, kernel)], {
      ...windowAttrs,
      ...(outputPadding ? { output_padding: intsAttr(outputPadding) } : {}),
    });
    const full = known ? spread : matchSpatialEnd(e, spread, x, rank);
    return [e.reshapeLike(full, x)];
  },
});

function fitsExactly(size: number, g: ReturnType<typeof convGeometry>, axis: number): boolean {
  const effective = (g.kernel[axis]! - 1) * g.dilations[axis]! + 1;
  return (size + g.pads[axis]! + g.pads[axis + g.spatial]! - effective) % g.strides[axis]! === 0 && convOutputSize(size, g, axis) > 0;
}
