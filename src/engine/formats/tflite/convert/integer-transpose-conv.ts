// TFLite int8 TRANSPOSE_CONV → ONNX integer arithmetic, so the converted model gives the kernel's int8 values:
//   TRANSPOSE_CONV(shape, w:int8 [O,KH,KW,I] per channel, x:q, b:int32)
//   ⇒  acc = ConvTranspose(float(x) − z_x, float(w))        exact: every partial sum is an integer below 2²⁴
//      y   = clamp(rescale(acc + b, s_x · s_w[o] / s_y) + z_y)   in int64 (integer-ops.ts: TFLite's
//            MultiplyByQuantizedMultiplier, halves away from zero)
// In float between DequantizeLinear and QuantizeLinear the same layer rounds values near a half step the
// other way now and then.
// A layer whose sums could reach 2²⁴ keeps the float form (ops-conv-pool.ts).
import { activationRange } from './ops-integer';
import { quantizeMultiplier } from './fixed-point';
import { IntegerOps, ONNX_TYPE } from './integer-ops';
import { TO_NCHW, TO_NHWC, transpose } from './layout';
import type { OpContext } from './op-context';
import type { TransposeConvSpec } from './ops-conv-pool';

const EXACT = 2 ** 24;

/** The ConvTranspose attributes of the layer (ops-conv-pool.ts works them out). */
export interface TransposeConvAttrs {
  kernel_shape: number[];
  strides: number[];
  pads: number[];
  output_padding: number[];
}

/** The int8 layer as integer arithmetic; false (nothing emitted) unless it is per-tensor int8 data with int8 weights along the output channels. */
export function integerTransposeConv(ctx: OpContext, at: TransposeConvSpec, attrs: TransposeConvAttrs): boolean {
  const { em, base } = ctx;
  const [x, w, y] = [ctx.facts(at.input), ctx.facts(at.filter), ctx.outFacts(0)];
  const [qx, qw, qy] = [x.quantization, w.quantization, y.quantization];
  const weights = ctx.constant(at.filter);
  if (x.dtype !== 'int8' || y.dtype !== 'int8' || w.dtype !== 'int8' || !qx || !qy || !qw || !weights) return false;
  if (qx.scale.length > 1 || qy.scale.length > 1 || qw.zeroPoint.some((z) => z !== 0)) return false;
  const [outChannels = 0] = w.shape;
  if (qw.scale.length > 1 && (qw.axis !== 0 || qw.scale.length !== outChannels)) return false;
  const bias = at.bias === undefined ? undefined : ctx.constant(at.bias);
  if (at.bias !== undefined && (!bias || bias.dtype !== 'int32')) return false;
  const range = activationRange(at.activation, y);
  if (!range) return false;
  // the largest sum a channel can reach: Σ|w| · 255 (every partial sum is below it)
  const data = new Int8Array(weights.bytes().slice().buffer);
  const per = data.length / Math.max(outChannels, 1);
  for (let o = 0; o < outChannels; o++) {
    let sum = 0;
    for (let k = 0; k < per; k++) sum += Math.abs(data[o * per + k] ?? 0);
    if (sum * 255 >= EXACT) return false;
  }
  const xf = em.op('Cast', [ctx.raw(at.input)], { to: ONNX_TYPE.float32 }, `${base}_xf`);
  const xs = em.op('Sub', [xf, em.float32([qx.zeroPoint[0]], [])], {}, `${base}_xc`);
  const wf = transpose(em, em.op('Cast', [ctx.raw(at.filter)], { to: ONNX_TYPE.float32 }, `${base}_wf`), [3, 0, 1, 2], `${base}_w`);
  const acc = em.op('ConvTranspose', [transpose(em, xs, TO_NCHW, `${base}_in`), wf], { ...attrs }, `${base}_acc`);
  // the requantization per output channel, on the last axis (NHWC)
  const ops = new IntegerOps(em, base);
  let sum = ops.cast(transpose(em, acc, TO_NHWC, `${base}_acc_nhwc`), 'int64', 'acc64');
  if (bias) sum = ops.op('Add', [sum, ops.ints(Array.from(new Int32Array(bias.bytes().slice().buffer)))], 'accb');
  const multipliers = qw.scale.map((s) => quantizeMultiplier((qx.scale[0] * s) / qy.scale[0]));
  const shifted = ops.op('Add', [ops.rescale(sum, multipliers, 'requant'), ops.ints([qy.zeroPoint[0]])], 'zp');
  ctx.setStored(0, ops.cast(ops.clip(shifted, range, 'clip'), 'int8', 'i8'));
  return true;
}
