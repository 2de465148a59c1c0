// Convolutions and pooling: TFLite computes them in NHWC, so the input is taken in that layout and
// the result stays in it (later ops take it from there). 1-D windows run as 2-D ones of height 1.
import type { Node } from '../../../../ir/node';
import type { Value } from '../../../../ir/value';
import { samePadding } from '../layout';
import { cannot } from '../op-context';
import { permuteData, type TfliteOptions } from '../tflite-emitter';
import type { OnnxOpContext } from './context';
import { narrowedBytes } from './narrow';
import type { OnnxConverter } from './ops-elementwise';
import { apply } from './perm';

/** ONNX NCHW → TFLite NHWC, and the same for 1-D (NCL → NLC). */
export const NHWC = [0, 2, 3, 1];
const NLC = [0, 2, 1];

interface Window {
  /** Spatial sizes of the input, as 2-D (1-D windows have height 1). */
  inHW: [number, number];
  kernel: [number, number];
  strides: [number, number];
  dilations: [number, number];
  /** [top, left, bottom, right]. */
  pads: [number, number, number, number];
}

function pair(values: readonly number[] | undefined, oneD: boolean, fallback: number, what: string): [number, number] {
  if (!values) return [fallback, fallback];
  if (oneD) {
    if (values.length !== 1) cannot(`${what} must have 1 entry for a 1-D window`);
    return [1, values[0] ?? fallback];
  }
  if (values.length !== 2) cannot(`${what} must have 2 entries for a 2-D window (3-D windows are not supported)`);
  return [values[0] ?? fallback, values[1] ?? fallback];
}

/** The window of a Conv/Pool node over an input of `shape` (NCHW or NCL). */
export function windowOf(node: Node, shape: readonly number[], kernel: readonly number[]): Window {
  const oneD = shape.length === 3;
  if (shape.length !== 3 && shape.length !== 4) cannot(`only 1-D and 2-D windows are supported (the input has ${shape.length} dimensions)`);
  const inHW: [number, number] = oneD ? [1, shape[2] ?? 1] : [shape[2] ?? 1, shape[3] ?? 1];
  const k = pair(kernel, oneD, 1, 'kernel_shape');
  const strides = pair(node.ints('strides'), oneD, 1, 'strides');
  const dilations = pair(node.ints('dilations'), oneD, 1, 'dilations');
  const autoPad = node.string('auto_pad', 'NOTSET');
  let pads: [number, number, number, number];
  if (autoPad === 'SAME_UPPER' || autoPad === 'SAME_LOWER') {
    const [h0, h1] = samePadding(inHW[0], k[0], strides[0], dilations[0]);
    const [w0, w1] = samePadding(inHW[1], k[1], strides[1], dilations[1]);
    pads = autoPad === 'SAME_UPPER' ? [h0, w0, h1, w1] : [h1, w1, h0, w0];
  } else if (autoPad === 'VALID') {
    pads = [0, 0, 0, 0];
  } else {
    const p = node.ints('pads') ?? new Array<number>(oneD ? 2 : 4).fill(0);
    if (oneD) {
      if (p.length !== 2) cannot('pads must have 2 entries for a 1-D window');
      pads = [0, p[0] ?? 0, 0, p[1] ?? 0];
    } else {
      if (p.length !== 4) cannot('pads must have 4 entries for a 2-D window');
      pads = [p[0] ?? 0, p[1] ?? 0, p[2] ?? 0, p[3] ?? 0];
    }
  }
  return { inHW, kernel: k, strides, dilations, pads };
}

/** TFLite padding for a window: SAME when the pads are TensorFlow's SAME ones, VALID otherwise (with explicit pads applied first). */
export function tflitePadding(w: Window): { padding: 0 | 1; explicit?: [number, number, number, number] } {
  if (w.pads.every((p) => p === 0)) return { padding: 1 };
  const [h0, h1] = samePadding(w.inHW[0], w.kernel[0], w.strides[0], w.dilations[0]);
  const [w0, w1] = samePadding(w.inHW[1], w.kernel[1], w.strides[1], w.dilations[1]);
  const [t, l, b, r] = w.pads;
  if (t === h0 && b === h1 && l === w0 && r === w1) return { padding: 0 };
  return { padding: 1, explicit: w.pads };
}

/** CONV_2D / DEPTHWISE_CONV_2D options for window `w` with TFLite `padding`. */
export function convOptions(w: Window, padding: 0 | 1): TfliteOptions {
  return { padding, stride_h: w.strides[0], stride_w: w.strides[1], dilation_h_factor: w.dilations[0], dilation_w_factor: w.dilations[1] };
}

/** The input in NHWC (1-D inputs reshaped to height 1), padded with `value` when `pads` are given. */
export function nhwcInput(
  ctx: OnnxOpContext,
  shape: readonly number[],
  pads?: readonly number[],
  value = 0,
): { x: Value; shape: number[] } {
  const oneD = shape.length === 3;
  let x = ctx.inputIn(0, oneD ? NLC : NHWC);
  let nhwc = oneD ? [shape[0] ?? 1, 1, shape[2] ?? 1, shape[1] ?? 1] : apply(shape, NHWC);
  if (oneD) x = ctx.reshape(x, nhwc);
  if (pads?.some((p) => p !== 0)) {
    const [t = 0, l = 0, b = 0, r = 0] = pads;
    const [n = 1, h = 1, w = 1, c = 1] = nhwc;
    nhwc = [n, h + t + b, w + l + r, c];
    const out = ctx.em.value(`${ctx.base}_pad`, nhwc, x.type?.kind === 'tensor' ? x.type.dtype : 'float32');
    const padding = ctx.em.int32([0, 0, t, b, l, r, 0, 0], [4, 2]);
    if (value === 0) x = ctx.em.op('PAD', [x, padding], out);
    else x = ctx.em.op('PADV2', [x, padding, ctx.em.float32(`${ctx.base}_padvalue`, [value], [])], out);
  }
  return { x, shape: nhwc };
}

/**
 * Emits the op that makes an NHWC result (`emit(y)`) and places it as ONNX output 0; a 1-D result
 * is reshaped back to NLC after the op, so the reshape follows the value it reads.
 */
export function withNhwcOutput(ctx: OnnxOpContext, oneD: boolean, emit: (y: Value) => void): void {
  if (!oneD) return emit(ctx.output(0, NHWC));
  const [n = 1, c = 1, l = 1] = ctx.outShape(0);
  const y = ctx.em.value(`${ctx.base}_nhwc`, [n, 1, l, c]);
  emit(y);
  ctx.alias(0, ctx.reshape(y, [n, l, c]), NLC);
}

function conv(ctx: OnnxOpContext): void {
  const { node, em, base } = ctx;
  const xShape = ctx.shape(0);
  const weights = ctx.constant(1) ?? cannot('the weights must be a constant');
  const wShape = weights.dims;
  if (wShape.length !== xShape.length)
    cannot(`the weights must have as many dimensions as the input (${xShape.length}), not ${wShape.length}`);
  const oneD = xShape.length === 3;
  const [outC = 1, inPerGroup = 1] = wShape;
  const kernel = wShape.slice(2);
  const w = windowOf(node, xShape, kernel);
  const [kh, kw] = w.kernel;
  const group = node.int('group', 1);
  const channels = xShape[1] ?? 1;
  if (channels !== inPerGroup * group) cannot(`${channels} input channels do not match ${group} groups of ${inPerGroup}`);
  const { padding, explicit } = tflitePadding(w);
  const { x } = nhwcInput(ctx, xShape, explicit);
  const w4 = oneD ? [outC, inPerGroup, 1, kernel[0] ?? 1] : [...wShape];
  const { dtype, bytes } = narrowedBytes(weights);
  if (dtype !== 'float32') cannot(`weights of type ${weights.dtype} are not supported`);
  const biasData = ctx.has(2) ? (ctx.constant(2) ?? cannot('a bias computed at run time is not supported')) : undefined;
  const bias = biasData ? ctx.tensor(biasData) : em.float32(`${base}_bias`, new Float32Array(outC), [outC]);
  const options = convOptions(w, padding);
  withNhwcOutput(ctx, oneD, (y) => {
    if (group > 1 && group === channels && inPerGroup === 1) {
      const filter = em.constant(`${weights.name}_1hwo`, 'float32', [1, kh, kw, outC], permuteData(bytes, w4, [1, 2, 3, 0], 4));
      em.op('DEPTHWISE_CONV_2D', [x, filter, bias], y, { ...options, depth_multiplier: outC / group });
    } else {
      const filter = em.constant(`${weights.name}_ohwi`, 'float32', [outC, kh, kw, inPerGroup], permuteData(bytes, w4, [0, 2, 3, 1], 4));
      em.op('CONV_2D', [x, filter, bias], y, options);
    }
  });
}

function convTranspose(ctx: OnnxOpContext): void {
  const { node, em, base } = ctx;
  const xShape = ctx.shape(0);
  if (xShape.length !== 4) cannot('only 2-D transposed convolution is supported');
  const weights = ctx.constant(1) ?? cannot('the weights must be a constant');
  const [inC = 1, outPerGroup = 1, kh = 1, kw = 1] = weights.dims;
  if (node.int('group', 1) !== 1) cannot('grouped transposed convolution has no TFLite equivalent');
  const dilations = node.ints('dilations') ?? [1, 1];
  if (dilations.some((d) => d !== 1)) cannot('dilated transposed convolution has no TFLite equivalent');
  const [sh = 1, sw = 1] = node.ints('strides') ?? [1, 1];
  const [n = 1, , h = 1, wIn = 1] = xShape;
  // TFLite computes the full output (VALID); ONNX's pads then crop it.
  const fullH = (h - 1) * sh + kh;
  const fullW = (wIn - 1) * sw + kw;
  const [, , outH = 1, outW = 1] = ctx.outShape(0);
  const { dtype, bytes } = narrowedBytes(weights);
  if (dtype !== 'float32') cannot(`weights of type ${weights.dtype} are not supported`);
  const filter = em.constant(
    `${weights.name}_ohwi`,
    'float32',
    [outPerGroup, kh, kw, inC],
    permuteData(bytes, weights.dims, [1, 2, 3, 0], 4),
  );
  const x = ctx.inputIn(0, NHWC);
  const autoPad = node.string('auto_pad', 'NOTSET');
  let top = 0;
  let left = 0;
  if (autoPad === 'SAME_UPPER' || autoPad === 'SAME_LOWER') {
    const extraH = fullH - outH;
    const extraW = fullW - outW;
    top = autoPad === 'SAME_UPPER' ? Math.floor(extraH / 2) : Math.ceil(extraH / 2);
    left = autoPad === 'SAME_UPPER' ? Math.floor(extraW / 2) : Math.ceil(extraW / 2);
  } else if (autoPad !== 'VALID') {
    const pads = node.ints('pads') ?? [0, 0, 0, 0];
    top = pads[0] ?? 0;
    left = pads[1] ?? 0;
  }
  if (top + outH > fullH || left + outW > fullW) cannot('output padding beyond the computed output is not supported');
  const cropped = top !== 0 || left !== 0 || outH !== fullH || outW !== fullW;
  const withBias = ctx.has(2);
  const full = cropped || withBias ? em.value(`${base}_full`, [n, fullH, fullW, outPerGroup]) : ctx.output(0, NHWC);
  em.op('TRANSPOSE_CONV', [em.int32([n, fullH, fullW, outPerGroup]), filter, x], full, { padding: 1, stride_h: sh, stride_w: sw });
  let y = full;
  if (cropped) {
    const out = withBias ? em.value(`${base}_crop`, [n, outH, outW, outPerGroup]) : ctx.output(0, NHWC);
    y = em.op('SLICE', [full, em.int32([0, top, left, 0]), em.int32([n, outH, outW, outPerGroup])], out);
  }
  if (withBias) em.op('ADD', [y, ctx.input(2)], ctx.output(0, NHWC));
}

function pool(opType: 'AVERAGE_POOL_2D' | 'MAX_POOL_2D'): OnnxConverter {
  return (ctx) => {
    const { node, em } = ctx;
    const xShape = ctx.shape(0);
    if (node.outputs.length > 1 && node.outputs[1]) cannot('max-pooling indices have no TFLite equivalent');
    const w = windowOf(node, xShape, node.ints('kernel_shape') ?? cannot('kernel_shape is missing'));
    if (w.dilations.some((d) => d !== 1)) cannot('dilated pooling has no TFLite equivalent');
    const oneD = xShape.length === 3;
    const outShape = ctx.outShape(0);
    const outHW = oneD ? [1, outShape[2] ?? 1] : [outShape[2] ?? 1, outShape[3] ?? 1];
    // ceil_mode may add a partial window at the end: pad so a floor-mode window covers it
    const needed = (axis: 0 | 1): number => ((outHW[axis] ?? 1) - 1) * w.strides[axis] + w.kernel[axis];
    const extraH = Math.max(0, needed(0) - (w.inHW[0] + w.pads[0] + w.pads[2]));
    const extraW = Math.max(0, needed(1) - (w.inHW[1] + w.pads[1] + w.pads[3]));
    const pads: [number, number, number, number] = [w.pads[0], w.pads[1], w.pads[2] + extraH, w.pads[3] + extraW];
    const average = opType === 'AVERAGE_POOL_2D';
    const countPadding = average && node.int('count_include_pad', 0) !== 0;
    let padding: 0 | 1;
    let explicit: readonly number[] | undefined;
    // counted padding is zeros that take part in the average: pad explicitly, then pool VALID
    if (extraH === 0 && extraW === 0 && !countPadding) ({ padding, explicit } = tflitePadding({ ...w, pads }));
    else [padding, explicit] = [1, pads.some((p) => p !== 0) ? pads : undefined];
    if (average && explicit && !countPadding)
      cannot('average pooling with padding other than SAME that leaves padded pixels out of the average has no TFLite equivalent');
    const { x } = nhwcInput(ctx, xShape, explicit, average ? 0 : -3.4028234663852886e38);
    const attrs = { padding, stride_h: w.strides[0], stride_w: w.strides[1], filter_height: w.kernel[0], filter_width: w.kernel[1] };
    withNhwcOutput(ctx, oneD, (y) => em.op(opType, [x], y, attrs));
  };
}

function globalPool(opType: 'MEAN' | 'REDUCE_MAX'): OnnxConverter {
  return (ctx) => {
    const rank = ctx.shape(0).length;
    const perm = ctx.layout(0);
    const spatial = Array.from({ length: rank - 2 }, (_, i) => i + 2);
    const axes = spatial.map((a) => (perm ? perm.indexOf(a) : a));
    ctx.em.op(opType, [ctx.inputIn(0, perm), ctx.em.int32(axes)], ctx.output(0, perm), { keep_dims: true });
  };
}

/** BatchNormalization in inference mode: one multiply and one add per channel (axis 1). */
function batchNorm(ctx: OnnxOpContext): void {
  const parameter = (i: number): number[] => ctx.numbers(i, 'batch-norm parameters');
  const [scale, bias, mean, variance] = [parameter(1), parameter(2), parameter(3), parameter(4)];
  const eps = ctx.node.float('epsilon', 1e-5);
  const channels = scale.length;
  const shape = ctx.shape(0);
  const perm = ctx.layout(0);
  const mul = new Float32Array(channels);
  const add = new Float32Array(channels);
  scale.forEach((s, c) => {
    const [b, m, v] = [bias[c], mean[c], variance[c]];
    if (b === undefined || m === undefined || v === undefined) cannot('batch-norm parameters must have one value per channel');
    const k = s / Math.sqrt(v + eps);
    mul[c] = k;
    add[c] = b - m * k;
  });
  // a per-channel constant of shape [C, 1, …] broadcasts along axis 1; in a permuted layout it goes where axis 1 went
  const dims = shape.map((d, i) => (i === 1 ? channels : 1));
  const placedDims = apply(dims, perm);
  const scaled = ctx.em.value(`${ctx.base}_scaled`, apply(shape, perm));
  ctx.em.op('MUL', [ctx.inputIn(0, perm), ctx.em.float32(`${ctx.base}_mul`, mul, placedDims)], scaled);
  ctx.em.op('ADD', [scaled, ctx.em.float32(`${ctx.base}_add`, add, placedDims)], ctx.output(0, perm));
}

/** Converters for convolution, pooling and batch normalization. */
export const CONV_CONVERTERS: Record<string, OnnxConverter> = {
  Conv: conv,
  ConvTranspose: convTranspose,
  MaxPool: pool('MAX_POOL_2D'),
  AveragePool: pool('AVERAGE_POOL_2D'),
  GlobalAveragePool: globalPool('MEAN'),
  GlobalMaxPool: globalPool('REDUCE_MAX'),
  BatchNormalization: batchNorm,
};
