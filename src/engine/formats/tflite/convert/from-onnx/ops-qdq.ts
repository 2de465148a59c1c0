// ONNX QDQ (QuantizeLinear / DequantizeLinear) → TFLite QUANTIZE / DEQUANTIZE over quantized tensors:
//   DequantizeLinear(q int8/uint8/int16, scale, zero point)  →  DEQUANTIZE(q with (scale, zero point))
//   QuantizeLinear(x float, scale, zero point)               →  QUANTIZE(x) → q with (scale, zero point)
// The quantization parameters move onto the quantized tensor, per tensor or per channel (the ONNX axis
// mapped into the layout the tensor is held in). Quantized constants were expanded before (see
// dequantize-weights.ts).
import type { Value } from '../../../../ir/value';
import type { ValueQuantization } from '../../../../ir/quantization';
import { cannot } from '../op-context';
import type { OnnxOpContext } from './context';
import type { OnnxConverter } from './ops-elementwise';

const QUANTIZED = new Set(['int8', 'uint8', 'int16']);

/** The (scale, zero point, axis) of a QDQ node, with the axis counted in the layout `perm`. */
function parameters(ctx: OnnxOpContext, dataShape: readonly number[], perm: readonly number[] | undefined): ValueQuantization {
  const scale = ctx.numbers(1, 'the scale');
  const zeroPoint = ctx.has(2) ? ctx.numbers(2, 'the zero point') : scale.map(() => 0);
  if (scale.length !== zeroPoint.length) cannot('the scale and zero point differ in length');
  if (scale.length === 1) return { scale, zeroPoint, axis: 0 };
  if (ctx.node.int('block_size', 0) !== 0) cannot('blocked quantization has no TFLite form');
  const rank = dataShape.length;
  const onnxAxis = ctx.node.int('axis', 1);
  const axis = onnxAxis < 0 ? onnxAxis + rank : onnxAxis;
  if (dataShape[axis] !== scale.length) cannot(`${scale.length} scales for axis ${axis} of size ${dataShape[axis] ?? '?'}`);
  return { scale, zeroPoint, axis: perm ? perm.indexOf(axis) : axis };
}

const sameQuantization = (a: ValueQuantization, b: ValueQuantization): boolean =>
  a.axis === b.axis && a.scale.join() === b.scale.join() && a.zeroPoint.join() === b.zeroPoint.join();

/** Gives `value` the quantization `q`; a tensor already quantized otherwise cannot take a second one. */
function quantize(value: Value, q: ValueQuantization): void {
  if (value.quantization && !sameQuantization(value.quantization, q))
    cannot(`'${value.name}' is dequantized with other parameters than it was quantized with`);
  value.quantization = q;
}

const dequantizeLinear: OnnxConverter = (ctx) => {
  const dtype = ctx.dtype(0);
  if (ctx.constant(0)) cannot('quantized constants need constant scales and zero points');
  if (!QUANTIZED.has(dtype)) cannot(`${dtype} data cannot be dequantized in TFLite (int8, uint8 or int16 only)`);
  const perm = ctx.layout(0);
  const source = ctx.inputIn(0, perm);
  quantize(source, parameters(ctx, ctx.shape(0), perm));
  ctx.em.op('DEQUANTIZE', [source], ctx.output(0, perm));
};

const quantizeLinear: OnnxConverter = (ctx) => {
  const outDtype = ctx.outDtype(0);
  if (!QUANTIZED.has(outDtype)) cannot(`quantizing to ${outDtype} has no TFLite form (int8, uint8 or int16 only)`);
  const perm = ctx.layout(0);
  const q = parameters(ctx, ctx.shape(0), perm);
  if (q.scale.length > 1) cannot('per-channel QuantizeLinear of computed values has no TFLite form');
  const out = ctx.output(0, perm);
  quantize(out, q);
  ctx.em.op('QUANTIZE', [ctx.inputIn(0, perm)], out);
};

/** Converters for ONNX's QDQ quantization ops. */
export const QDQ_CONVERTERS: Record<string, OnnxConverter> = {
  DequantizeLinear: dequantizeLinear,
  QuantizeLinear: quantizeLinear,
};
