import type { Node } from '../../../ir/node';
import type { Value } from '../../../ir/value';
import { samePadding } from './layout';
import type { OnnxOpContext } from './from-onnx';
import { cannot, shapeOfRank, type Dims } from './op-context';
import { permuteData, permuted } from './tflite-emitter';

const TO_NHWC = [0, 2, 3, 1];
const TO_NCHW = [0, 3, 1, 2];

function transposed(ctx: OnnxOpContext, v: Value, perm: number[], shape: number[]): Value {
  const out = ctx.em.value(`${v.name}_t`, permuted(shape, perm), v.type?.kind === 'tensor' ? v.type.dtype : 'float32');
  return ctx.em.op('TRANSPOSE', [v, ctx.em.int32(perm)], out);
}

/** TFLite padding for an ONNX window: SAME, VALID, or explicit pads needing a PAD op first. */
function windowPadding(
  node: Node,
  inHW: Dims<2>,
  kernel: Dims<2>,
  strides: Dims<2>,
  dilations: Dims<2>,
): { padding: number; pads?: Dims<4> } {
  const autoPad = node.string('auto_pad', 'NOTSET');
  if (autoPad === 'VALID') return { padding: 1 };
  const sameH = samePadding(inHW[0], kernel[0], strides[0], dilations[0]);
  const sameW = samePadding(inHW[1], kernel[1], strides[1], dilations[1]);
  if (autoPad === 'SAME_UPPER') return { padding: 0 };
  if (autoPad === 'SAME_LOWER') {
    if (sameH[0] === sameH[1] && sameW[0] === sameW[1]) return { padding: 0 };
    return { padding: 1, pads: [sameH[1], sameW[1], sameH[0], sameW[0]] };
  }
  const pads = shapeOfRank(node.ints('pads') ?? [0, 0, 0, 0], 4, 'a 2-D window needs 4 pads');
  if (pads.every((p) => p === 0)) return { padding: 1 };
  if (pads[0] === sameH[0] && pads[2] === sameH[1] && pads[1] === sameW[0] && pads[3] === sameW[1]) return { padding: 0 };
  return { padding: 1, pads };
}

/** A 2-D window attribute (`strides`, `dilations`, `kernel_shape`): its two entries, or `fallback` when absent. */
function pair(node: Node, name: string, fallback?: Dims<2>): Dims<2> {
  const values = node.ints(name) ?? fallback ?? cannot(`${name} is missing`);
  return shapeOfRank(values, 2, `${name} must have 2 entries for a 2-D window`);
}

function padNhwc(ctx: OnnxOpContext, x: Value, shape: number[], pads: Dims<4>): Value {
  const [t, l, b, r] = pads;
  const [n, h, w, c] = shapeOfRank(shape, 4, 'only 4-D (NHWC) values can be padded');
  const out = ctx.em.value(`${x.name}_pad`, [n, h + t + b, w + l + r, c]);
  return ctx.em.op('PAD', [x, ctx.em.int32([0, 0, t, b, l, r, 0, 0], [4, 2])], out);
}

function conv(ctx: OnnxOpContext): void {
  const { node, em, base } = ctx;
  const xShape = shapeOfRank(ctx.shape(node.inputs[0]), 4, 'only 2-D convolution (NCHW input) is supported');
  const wShape = ctx.shape(node.inputs[1]);
  const weights = node.inputs[1]?.initializer ?? cannot('the weights must be a constant');
  if (weights.dtype !== 'float32') cannot(`weights of type ${weights.dtype} are not supported`);
  const [outC, inPerGroup, kh, kw] = shapeOfRank(wShape, 4, 'the weights of a 2-D convolution must be 4-D');
  const group = node.int('group', 1);
  const strides = pair(node, 'strides', [1, 1]);
  const dilations = pair(node, 'dilations', [1, 1]);
  const { padding, pads } = windowPadding(node, [xShape[2], xShape[3]], [kh, kw], strides, dilations);
  let x = transposed(ctx, ctx.input(0), TO_NHWC, xShape);
  if (pads) x = padNhwc(ctx, x, permuted(xShape, TO_NHWC), pads);
  const bias = node.inputs[2] ? ctx.input(2) : em.float32(`${base}_bias`, new Float32Array(outC), [outC]);
  const y = em.value(`${base}_nhwc`, permuted(ctx.shape(node.outputs[0]), TO_NHWC));
  const depthwise = group > 1 && group === xShape[1] && inPerGroup === 1;
  const options = { padding, stride_w: strides[1], stride_h: strides[0], dilation_w_factor: dilations[1], dilation_h_factor: dilations[0] };
  if (depthwise) {
    const filter = em.constant(`${weights.name}_hwio`, 'float32', [1, kh, kw, outC], permuteData(weights.bytes(), wShape, [1, 2, 3, 0], 4));
    em.op('DEPTHWISE_CONV_2D', [x, filter, bias], y, { ...options, depth_multiplier: outC / group });
  } else {
    const filter = em.constant(
      `${weights.name}_ohwi`,
      'float32',
      [outC, kh, kw, inPerGroup],
      permuteData(weights.bytes(), wShape, [0, 2, 3, 1], 4),
    );
    em.op('CONV_2D', [x, filter, bias], y, options);
  }
  em.op('TRANSPOSE', [y, em.int32(TO_NCHW)], ctx.output(0));
}

function pool(opType: 'AVERAGE_POOL_2D' | 'MAX_POOL_2D') {
  return (ctx: OnnxOpContext): void => {
    const { node, em, base } = ctx;
    const xShape = shapeOfRank(ctx.shape(node.inputs[0]), 4, 'only 2-D pooling is supported');
    if (node.int('ceil_mode', 0)) cannot('ceil_mode is not supported');
    const kernel = pair(node, 'kernel_shape');
    const strides = pair(node, 'strides', [1, 1]);
    const { padding, pads } = windowPadding(node, [xShape[2], xShape[3]], kernel, strides, [1, 1]);
    if (pads) cannot('explicit padding other than SAME or VALID is not supported for pooling');
    if (opType === 'AVERAGE_POOL_2D' && padding === 0 && node.int('count_include_pad', 0))
      cannot('count_include_pad=1 with padding differs from TFLite');
    const x = transposed(ctx, ctx.input(0), TO_NHWC, xShape);
    const y = em.value(`${base}_nhwc`, permuted(ctx.shape(node.outputs[0]), TO_NHWC));
    em.op(opType, [x], y, { padding, stride_w: strides[1], stride_h: strides[0], filter_width: kernel[1], filter_height: kernel[0] });
    em.op('TRANSPOSE', [y, em.int32(TO_NCHW)], ctx.output(0));
  };
}

function fullyConnected(ctx: OnnxOpContext, weightsIndex: number, transposeWeights: boolean, biasIndex?: number): void {
  const { node, em, base } = ctx;
  const w = node.inputs[weightsIndex]?.initializer ?? cannot('the weight matrix must be a constant');
  if (w.dtype !== 'float32') cannot('the weight matrix must be a 2-D float32 constant');
  const [rows, cols] = shapeOfRank(w.dims, 2, 'the weight matrix must be a 2-D float32 constant');
  const filter = transposeWeights
    ? em.constant(`${w.name}_t`, 'float32', [cols, rows], permuteData(w.bytes(), w.dims, [1, 0], 4))
    : em.constant(w.name, 'float32', [rows, cols], w.bytes());
  const units = transposeWeights ? cols : rows;
  let bias: Value | undefined;
  if (biasIndex !== undefined && node.inputs[biasIndex]) {
    const b = ctx.constFloats(biasIndex) ?? cannot('the bias must be a constant');
    if (b.length !== units) cannot(`a bias of ${b.length} values does not match ${units} units`);
    bias = em.float32(`${base}_bias`, b, [units]);
  }
  const inRank = ctx.shape(node.inputs[0]).length;
  em.op('FULLY_CONNECTED', [ctx.input(0), filter, bias], ctx.output(0), { keep_num_dims: inRank > 2 ? 1 : 0 });
}

function unary(opType: string) {
  return (ctx: OnnxOpContext): void => {
    ctx.em.op(opType, [ctx.input(0)], ctx.output(0));
  };
}

function binary(opType: string) {
  return (ctx: OnnxOpContext): void => {
    ctx.em.op(opType, [ctx.input(0), ctx.input(1)], ctx.output(0));
  };
}

function reshapeToOutput(ctx: OnnxOpContext): void {
  const shape = ctx.shape(ctx.node.outputs[0]);
  ctx.em.op('RESHAPE', [ctx.input(0), ctx.em.int32(shape)], ctx.output(0), { new_shape: shape });
}

function reduceMean(ctx: OnnxOpContext, axes: number[], keep: boolean): void {
  const rank = ctx.shape(ctx.node.inputs[0]).length;
  ctx.em.op('MEAN', [ctx.input(0), ctx.em.int32(axes.map((a) => (a < 0 ? a + rank : a)))], ctx.output(0), { keep_dims: keep ? 1 : 0 });
}

function clip(ctx: OnnxOpContext): void {
  const lo = ctx.node.inputs[1] ? (ctx.constFloats(1)?.[0] ?? cannot('min must be a constant')) : ctx.node.float('min', -Infinity);
  const hi = ctx.node.inputs[2] ? (ctx.constFloats(2)?.[0] ?? cannot('max must be a constant')) : ctx.node.float('max', Infinity);
  const op = lo === 0 && hi === 6 ? 'RELU6' : lo === -1 && hi === 1 ? 'RELU_N1_TO_1' : lo === 0 && hi === Infinity ? 'RELU' : undefined;
  if (op) {
    ctx.em.op(op, [ctx.input(0)], ctx.output(0));
    return;
  }
  const shape = ctx.shape(ctx.node.outputs[0]);
  const upper = ctx.em.value(`${ctx.base}_max`, shape);
  ctx.em.op('MAXIMUM', [ctx.input(0), ctx.em.float32('clip_min', new Float32Array([lo]), [])], upper);
  ctx.em.op('MINIMUM', [upper, ctx.em.float32('clip_max', new Float32Array([hi]), [])], ctx.output(0));
}

function batchNorm(ctx: OnnxOpContext): void {
  const parameter = (i: number): Float32Array => ctx.constFloats(i) ?? cannot('batch-norm parameters must be constants');
  const [scale, bias, mean, variance] = [parameter(1), parameter(2), parameter(3), parameter(4)];
  const eps = ctx.node.float('epsilon', 1e-5);
  const channels = scale.length;
  const rank = ctx.shape(ctx.node.inputs[0]).length;
  const dims = [channels, ...new Array<number>(rank - 2).fill(1)];
  const mul = new Float32Array(channels);
  const add = new Float32Array(channels);
  scale.forEach((s, c) => {
    const [b, m, v] = [bias[c], mean[c], variance[c]];
    if (b === undefined || m === undefined || v === undefined) cannot('batch-norm parameters must have one value per channel');
    const k = s / Math.sqrt(v + eps);
    mul[c] = k;
    add[c] = b - m * k;
  });
  const name = ctx.base;
  const scaled = ctx.em.value(`${name}_scaled`, ctx.shape(ctx.node.outputs[0]));
  ctx.em.op('MUL', [ctx.input(0), ctx.em.float32(`${name}_mul`, mul, dims)], scaled);
  ctx.em.op('ADD', [scaled, ctx.em.float32(`${name}_add`, add, dims)], ctx.output(0));
}

function nhwcWrapped(
  ctx: OnnxOpContext,
  opType: string,
  options: Record<string, number | number[]>,
  extra: (Value | undefined)[] = [],
  outShape = ctx.shape(ctx.node.outputs[0]),
): void {
  const { node, em } = ctx;
  const xShape = ctx.shape(node.inputs[0]);
  if (xShape.length !== 4) cannot('only 4-D (NCHW) input is supported');
  const x = transposed(ctx, ctx.input(0), TO_NHWC, xShape);
  const y = em.value(`${ctx.base}_nhwc`, permuted(outShape, TO_NHWC));
  em.op(opType, [x, ...extra], y, options);
  em.op('TRANSPOSE', [y, em.int32(TO_NCHW)], ctx.output(0, outShape));
}

function depthToSpaceShape(ctx: OnnxOpContext, block: number): number[] {
  const [n, c, h, w] = shapeOfRank(ctx.shape(ctx.node.inputs[0]), 4, 'only 4-D (NCHW) input is supported');
  return [n, c / (block * block), h * block, w * block];
}

function resize(ctx: OnnxOpContext): void {
  const mode = ctx.node.string('mode', 'nearest');
  const transform = ctx.node.string('coordinate_transformation_mode', 'half_pixel');
  const [n, c, h, w] = shapeOfRank(ctx.shape(ctx.node.inputs[0]), 4, 'only 4-D (NCHW) input is supported');
  const sizes = ctx.node.inputs[3] ? ctx.constInts(3) : undefined;
  const scales = ctx.node.inputs[2] ? ctx.constFloats(2) : undefined;
  const scaled = (factors: Float32Array): number[] => {
    const [fn, fc, fh, fw] = shapeOfRank(Array.from(factors), 4, 'scales must have 4 entries');
    return [Math.floor(n * fn), Math.floor(c * fc), Math.floor(h * fh), Math.floor(w * fw)];
  };
  const outShape = shapeOfRank(
    sizes?.length === 4 ? sizes : scales?.length === 4 ? scaled(scales) : ctx.shape(ctx.node.outputs[0]),
    4,
    'the resized shape must be 4-D',
  );
  const [outN, outC, outH, outW] = outShape;
  if (outN !== n || outC !== c) cannot('only spatial (H, W) resizing is supported');
  const size = ctx.em.int32([outH, outW]);
  if (mode === 'linear') {
    const halfPixel = transform === 'half_pixel' || (transform === 'pytorch_half_pixel' && outH > 1 && outW > 1);
    if (!halfPixel && transform !== 'align_corners' && transform !== 'asymmetric')
      cannot(`coordinate transformation '${transform}' has no TFLite equivalent`);
    nhwcWrapped(
      ctx,
      'RESIZE_BILINEAR',
      { align_corners: transform === 'align_corners' ? 1 : 0, half_pixel_centers: halfPixel ? 1 : 0 },
      [size],
      outShape,
    );
  } else if (mode === 'nearest') {
    const nearest = ctx.node.string('nearest_mode', 'round_prefer_floor');
    const ok =
      (transform === 'asymmetric' && nearest === 'floor') ||
      (transform === 'tf_half_pixel_for_nn' && nearest === 'floor') ||
      (transform === 'align_corners' && nearest === 'round_prefer_ceil');
    if (!ok) cannot(`nearest resizing with '${transform}' / '${nearest}' has no exact TFLite equivalent`);
    nhwcWrapped(
      ctx,
      'RESIZE_NEAREST_NEIGHBOR',
      { align_corners: transform === 'align_corners' ? 1 : 0, half_pixel_centers: transform === 'tf_half_pixel_for_nn' ? 1 : 0 },
      [size],
      outShape,
    );
  } else {
    cannot(`resize mode '${mode}' is not supported`);
  }
}

function slice(ctx: OnnxOpContext): void {
  const shape = ctx.shape(ctx.node.inputs[0]);
  const rank = shape.length;
  const starts = ctx.constInts(1) ?? cannot('starts must be constant');
  const ends = ctx.constInts(2) ?? cannot('ends must be constant');
  const axes = (ctx.node.inputs[3] ? (ctx.constInts(3) ?? cannot('axes must be constant')) : starts.map((_, i) => i)).map((a) =>
    a < 0 ? a + rank : a,
  );
  const steps = ctx.node.inputs[4] ? (ctx.constInts(4) ?? cannot('steps must be constant')) : starts.map(() => 1);
  const begin = new Array<number>(rank).fill(0);
  const end = [...shape];
  const stride = new Array<number>(rank).fill(1);
  let beginMask = 0;
  let endMask = 0;
  axes.forEach((axis, i) => {
    const [dim, start, stop, step] = [shape[axis], starts[i], ends[i], steps[i]];
    if (dim === undefined) cannot(`axis ${axis} is not one of the input's ${rank} axes`);
    if (start === undefined || stop === undefined || step === undefined) cannot('starts, ends, axes and steps must have the same length');
    const clampIndex = (v: number) => (v < 0 ? v + dim : v);
    stride[axis] = step;
    const s = clampIndex(Math.max(-dim, Math.min(start, dim)));
    begin[axis] = Math.min(s, step > 0 ? dim : dim - 1);
    if (step > 0) end[axis] = Math.max(0, Math.min(clampIndex(Math.max(-dim, Math.min(stop, dim))), dim));
    else if (stop < -dim) endMask |= 1 << axis;
    else end[axis] = clampIndex(Math.min(stop, dim - 1));
  });
  for (let axis = 0; axis < rank; axis++) if (!axes.includes(axis)) beginMask |= 1 << axis;
  ctx.em.op('STRIDED_SLICE', [ctx.input(0), ctx.em.int32(begin), ctx.em.int32(end), ctx.em.int32(stride)], ctx.output(0), {
    begin_mask: beginMask,
    end_mask: endMask | beginMask,
  });
}

/** Converters from ONNX ops to TFLite ops (float32 models). */
export const ONNX_TO_TFLITE: Record<string, (ctx: OnnxOpContext) => void> = {
  Conv: conv,
  MaxPool: pool('MAX_POOL_2D'),
  AveragePool: pool('AVERAGE_POOL_2D'),
  GlobalAveragePool: (ctx) => reduceMean(ctx, [2, 3], true),
  ReduceMean: (ctx) =>
    reduceMean(ctx, ctx.node.ints('axes') ?? ctx.constInts(1) ?? cannot('axes must be constant'), ctx.node.int('keepdims', 1) !== 0),
  Gemm: (ctx) => {
    if (ctx.node.int('transA', 0)) cannot('transA=1 is not supported');
    if (ctx.node.float('alpha', 1) !== 1 || ctx.node.float('beta', 1) !== 1) cannot('alpha and beta other than 1 are not supported');
    fullyConnected(ctx, 1, ctx.node.int('transB', 0) === 0, 2);
  },
  MatMul: (ctx) => {
    if (ctx.node.inputs[1]?.initializer?.dims.length === 2) fullyConnected(ctx, 1, true);
    else ctx.em.op('BATCH_MATMUL', [ctx.input(0), ctx.input(1)], ctx.output(0));
  },
  Relu: unary('RELU'),
  Sigmoid: unary('LOGISTIC'),
  Tanh: unary('TANH'),
  HardSwish: unary('HARD_SWISH'),
  Exp: unary('EXP'),
  Abs: unary('ABS'),
  Neg: unary('NEG'),
  Sqrt: unary('SQRT'),
  LeakyRelu: (ctx) => {
    ctx.em.op('LEAKY_RELU', [ctx.input(0)], ctx.output(0), { alpha: ctx.node.float('alpha', 0.01) });
  },
  Clip: clip,
  Add: binary('ADD'),
  Sub: binary('SUB'),
  Mul: binary('MUL'),
  Div: binary('DIV'),
  Max: binary('MAXIMUM'),
  Min: binary('MINIMUM'),
  BatchNormalization: batchNorm,
  Softmax: (ctx) => {
    const rank = ctx.shape(ctx.node.inputs[0]).length;
    const axis = ctx.node.int('axis', -1);
    if (axis !== -1 && axis !== rank - 1) cannot('softmax over an axis other than the last is not supported');
    ctx.em.op('SOFTMAX', [ctx.input(0)], ctx.output(0), { beta: 1.0 });
  },
  Reshape: reshapeToOutput,
  Flatten: reshapeToOutput,
  Squeeze: reshapeToOutput,
  Unsqueeze: reshapeToOutput,
  Transpose: (ctx) => {
    const rank = ctx.shape(ctx.node.inputs[0]).length;
    const perm = ctx.node.ints('perm') ?? Array.from({ length: rank }, (_, i) => rank - 1 - i);
    ctx.em.op('TRANSPOSE', [ctx.input(0), ctx.em.int32(perm)], ctx.output(0));
  },
  Concat: (ctx) => {
    const rank = ctx.shape(ctx.node.inputs[0]).length;
    const axis = ctx.node.int('axis', 0);
    ctx.em.op(
      'CONCATENATION',
      ctx.node.inputs.map((_, i) => ctx.input(i)),
      ctx.output(0),
      { axis: axis < 0 ? axis + rank : axis },
    );
  },
  Pad: (ctx) => {
    if (ctx.node.string('mode', 'constant') !== 'constant') cannot('only constant padding is supported');
    const pads = ctx.constInts(1) ?? cannot('pads must be constant');
    if (ctx.node.inputs[2] && (ctx.constFloats(2)?.[0] ?? 1) !== 0) cannot('only zero padding is supported');
    if (pads.length % 2 !== 0) cannot('pads must list a begin and an end per axis');
    // ONNX lists all begins, then all ends; TFLite wants a (begin, end) pair per axis.
    const rank = pads.length / 2;
    const ends = pads.slice(rank);
    const pairs = pads.slice(0, rank).flatMap((b, i) => [b, ends[i] ?? cannot('pads must list a begin and an end per axis')]);
    ctx.em.op('PAD', [ctx.input(0), ctx.em.int32(pairs, [rank, 2])], ctx.output(0));
  },
  DepthToSpace: (ctx) => {
    if (ctx.node.string('mode', 'DCR') !== 'DCR') cannot('only DCR mode matches TFLite');
    const block = ctx.node.int('blocksize', 1);
    nhwcWrapped(ctx, 'DEPTH_TO_SPACE', { block_size: block }, [], depthToSpaceShape(ctx, block));
  },
  SpaceToDepth: (ctx) => {
    const block = ctx.node.int('blocksize', 1);
    const [n, c, h, w] = shapeOfRank(ctx.shape(ctx.node.inputs[0]), 4, 'only 4-D (NCHW) input is supported');
    nhwcWrapped(ctx, 'SPACE_TO_DEPTH', { block_size: block }, [], [n, c * block * block, h / block, w / block]);
  },
  Resize: resize,
  Slice: slice,
  Identity: (ctx) => ctx.alias(0, ctx.input(0)),
  Dropout: (ctx) => ctx.alias(0, ctx.input(0)),
};
