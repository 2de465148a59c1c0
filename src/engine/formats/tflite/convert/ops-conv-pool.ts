import { fusedActivation, TO_NCHW, TO_NHWC, transpose, windowPads } from './layout';
import { integerConv, runsOnIntegers } from './ops-integer';
import { integerTransposeConv, type TransposeConvAttrs } from './integer-transpose-conv';
import { cannot, constantInts, shapeOfRank, type OpContext } from './op-context';
import type { AttrInput } from './onnx-emitter';

function conv(ctx: OpContext, depthwise: boolean): void {
  const { em, base } = ctx;
  const attrs = convAttributes(ctx, depthwise);
  // CONV_2D filters are [O, KH, KW, I]; DEPTHWISE filters are [1, KH, KW, C·M]; ONNX wants [O, I/group, KH, KW].
  const filterPerm = depthwise ? [3, 0, 1, 2] : [0, 3, 1, 2];
  // per-channel filter scales run along O, and depthwise along C·M
  if (runsOnIntegers(ctx, depthwise ? 3 : 0) && integerConv(ctx, attrs, filterPerm)) return;
  const x = transpose(em, ctx.input(0), TO_NCHW, `${base}_in`);
  const weights = transpose(em, ctx.input(1), filterPerm, `${base}_w`);
  const y = em.op('Conv', [x, weights, ctx.has(2) ? ctx.input(2) : undefined], attrs, `${base}_nchw`);
  const activated = fusedActivation(em, y, ctx.attr('fused_activation_function', 0), base);
  ctx.setOutput(0, transpose(em, activated, TO_NHWC, base));
}

/** ONNX Conv attributes of a TFLite CONV_2D or DEPTHWISE_CONV_2D (NHWC input, TFLite filter layout). */
function convAttributes(ctx: OpContext, depthwise: boolean): Record<string, AttrInput> {
  const [, h, w, channels] = shapeOfRank(ctx.facts(0).shape, 4, 'only 4-D (NHWC) input is supported');
  const [, kh, kw, filterChannels] = shapeOfRank(ctx.facts(1).shape, 4, 'the filter must be 4-D');
  const sh = ctx.attr('stride_h', 1);
  const sw = ctx.attr('stride_w', 1);
  const dh = ctx.attr('dilation_h_factor', 1);
  const dw = ctx.attr('dilation_w_factor', 1);
  const group = depthwise ? channels : channels / filterChannels;
  if (!Number.isInteger(group)) cannot(`input channels ${channels} are not a multiple of the filter's ${filterChannels}`);
  return {
    kernel_shape: [kh, kw],
    strides: [sh, sw],
    dilations: [dh, dw],
    group,
    pads: windowPads(ctx.attr('padding', 0), h, w, kh, kw, sh, sw, dh, dw),
  };
}

function pool(ctx: OpContext, opType: 'AveragePool' | 'MaxPool'): void {
  const { em, base } = ctx;
  const [, h, w] = shapeOfRank(ctx.facts(0).shape, 4, 'only 4-D (NHWC) input is supported');
  const kh = ctx.attr('filter_height', 1);
  const kw = ctx.attr('filter_width', 1);
  const sh = ctx.attr('stride_h', 1);
  const sw = ctx.attr('stride_w', 1);
  const x = transpose(em, ctx.input(0), TO_NCHW, `${base}_in`);
  const attrs = { kernel_shape: [kh, kw], strides: [sh, sw], pads: windowPads(ctx.attr('padding', 0), h, w, kh, kw, sh, sw) };
  // TFLite averages over the valid pixels only: count_include_pad stays 0.
  const y = em.op(opType, [x], attrs, `${base}_nchw`);
  const activated = fusedActivation(em, y, ctx.attr('fused_activation_function', 0), base);
  ctx.setOutput(0, transpose(em, activated, TO_NHWC, base));
}

/** Where a transposed convolution's operands are, and its options (TFLite's TRANSPOSE_CONV or a custom op like it). */
export interface TransposeConvSpec {
  input: number;
  filter: number;
  bias?: number;
  /** The output shape, NHWC. */
  outShape: readonly number[];
  same: boolean;
  strideH: number;
  strideW: number;
  activation: number;
}

/** The ConvTranspose attributes of a transposed convolution, filter [O,KH,KW,I], with the padding TFLite computes. */
function transposeConvAttrs(ctx: OpContext, spec: TransposeConvSpec): TransposeConvAttrs {
  const [, outH = 1, outW = 1] = shapeOfRank(spec.outShape, 4, 'the output shape must be 4-D (NHWC)');
  const [, kh, kw] = shapeOfRank(ctx.facts(spec.filter).shape, 4, 'the filter must be 4-D');
  const [, h, w] = shapeOfRank(ctx.facts(spec.input).shape, 4, 'only 4-D (NHWC) input is supported');
  const [sh, sw] = [spec.strideH, spec.strideW];
  // TFLite pads as the forward convolution from the output to the input would: SAME centres, VALID none
  const pad = (size: number, k: number, s: number, out: number): [number, number] => {
    if (!spec.same) return [0, 0];
    const total = Math.max((size - 1) * s + k - out, 0);
    return [Math.floor(total / 2), total - Math.floor(total / 2)];
  };
  const [top, bottom] = pad(h, kh, sh, outH);
  const [left, right] = pad(w, kw, sw, outW);
  const extraH = outH - ((h - 1) * sh + kh - top - bottom);
  const extraW = outW - ((w - 1) * sw + kw - left - right);
  if (extraH < 0 || extraW < 0) cannot('the output shape is smaller than the transposed convolution computes');
  return { kernel_shape: [kh, kw], strides: [sh, sw], pads: [top, left, bottom, right], output_padding: [extraH, extraW] };
}

/** A transposed convolution, filter [O,KH,KW,I], → ConvTranspose (in float, or as TFLite's int8 kernel computes it). */
export function emitTransposeConv(ctx: OpContext, spec: TransposeConvSpec): void {
  const { em, base } = ctx;
  const attrs = transposeConvAttrs(ctx, spec);
  if (integerTransposeConv(ctx, spec, attrs)) return;
  const x = transpose(em, ctx.input(spec.input), TO_NCHW, `${base}_in`);
  // filter [O, KH, KW, I] → ONNX ConvTranspose weights [I, O, KH, KW]
  const weights = transpose(em, ctx.input(spec.filter), [3, 0, 1, 2], `${base}_w`);
  const bias = spec.bias !== undefined ? ctx.input(spec.bias) : undefined;
  const y = em.op('ConvTranspose', [x, weights, bias], { ...attrs }, `${base}_nchw`);
  const activated = fusedActivation(em, y, spec.activation, base);
  ctx.setOutput(0, transpose(em, activated, TO_NHWC, base));
}

/** TRANSPOSE_CONV(output_shape, filter [O,KH,KW,I], input[, bias]). */
function transposeConv(ctx: OpContext): void {
  emitTransposeConv(ctx, {
    input: 2,
    filter: 1,
    bias: ctx.node.inputs.length > 3 && ctx.has(3) ? 3 : undefined,
    outShape: constantInts(ctx.constant(0)) ?? ctx.outFacts(0).shape,
    same: ctx.attr('padding', 0) === 0,
    strideH: ctx.attr('stride_h', 1),
    strideW: ctx.attr('stride_w', 1),
    activation: ctx.attr('fused_activation_function', 0),
  });
}

/** Converters for convolution and pooling (NHWC ↔ NCHW through transposes). */
export const CONV_POOL_OPS: Record<string, (ctx: OpContext) => void> = {
  CONV_2D: (ctx) => conv(ctx, false),
  DEPTHWISE_CONV_2D: (ctx) => conv(ctx, true),
  AVERAGE_POOL_2D: (ctx) => pool(ctx, 'AveragePool'),
  MAX_POOL_2D: (ctx) => pool(ctx, 'MaxPool'),
  TRANSPOSE_CONV: transposeConv,
};
