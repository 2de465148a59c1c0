import type { DType } from '../../../ir/dtype';
import { Tensor } from '../../../ir/tensor';
import { dtypeToOnnx } from '../../onnx/dtype-map';
import { tfliteRecord, type TfliteValueRecord } from '../ir-records';
import { densify } from './densify';
import { fusedActivation, TO_NCHW, TO_NHWC, transpose } from './layout';
import { integerResizeBilinear } from './integer-resize';
import { integerFullyConnected, runsOnIntegers } from './ops-integer';
import { cannot, constantInts, shapeOfRank, type OpContext } from './op-context';
import type { AttrInput } from './onnx-emitter';

function softmax(opType: 'Softmax' | 'LogSoftmax') {
  return (ctx: OpContext): void => {
    const betaAttr = ctx.node.attribute('beta');
    const beta =
      betaAttr?.value.kind === 'float' ? betaAttr.value.value : betaAttr?.value.kind === 'int' ? Number(betaAttr.value.value) : 1;
    const x = beta === 1 ? ctx.input(0) : ctx.em.op('Mul', [ctx.input(0), ctx.em.float32([beta], [])], {}, `${ctx.base}_beta`);
    ctx.setOutput(0, ctx.em.op(opType, [x], { axis: -1 }, ctx.base));
  };
}

function fullyConnected(ctx: OpContext): void {
  const { em, base } = ctx;
  if (ctx.attr('weights_format', 0) !== 0) cannot('shuffled weights (SHUFFLED4x16INT8) are not supported');
  if (runsOnIntegers(ctx, 0) && integerFullyConnected(ctx)) return;
  const [, inner] = shapeOfRank(ctx.facts(1).shape, 2, 'the weights must be 2-D');
  const flat = em.op('Reshape', [ctx.input(0), em.int64([-1, inner])], {}, `${base}_flat`);
  const y = em.op('Gemm', [flat, ctx.input(1), ctx.has(2) ? ctx.input(2) : undefined], { transB: 1 }, `${base}_gemm`);
  const activated = fusedActivation(em, y, ctx.attr('fused_activation_function', 0), base);
  ctx.setOutput(0, em.op('Reshape', [activated, em.int64(ctx.outFacts(0).shape)], {}, base));
}

function resize(ctx: OpContext, mode: 'linear' | 'nearest'): void {
  const { em, base } = ctx;
  const size = constantInts(ctx.constant(1)) ?? cannot('the output size must be a constant');
  const [height, width] = shapeOfRank(size, 2, 'the output size must be (height, width)');
  const [n, , , c] = shapeOfRank(ctx.facts(0).shape, 4, 'only 4-D (NHWC) input is supported');
  const alignCorners = ctx.attr('align_corners', 0) !== 0;
  const halfPixel = ctx.attr('half_pixel_centers', 0) !== 0;
  const attrs: Record<string, string> = { mode };
  if (mode === 'linear') {
    attrs.coordinate_transformation_mode = alignCorners ? 'align_corners' : halfPixel ? 'half_pixel' : 'asymmetric';
  } else {
    attrs.coordinate_transformation_mode = alignCorners ? 'align_corners' : halfPixel ? 'tf_half_pixel_for_nn' : 'asymmetric';
    attrs.nearest_mode = alignCorners ? 'round_prefer_ceil' : 'floor';
  }
  if (mode === 'linear' && integerResizeBilinear(ctx, height, width, alignCorners, halfPixel)) return;
  const x = transpose(em, ctx.input(0), TO_NCHW, `${base}_in`);
  const y = em.op('Resize', [x, undefined, undefined, em.int64([n, c, height, width])], attrs, `${base}_nchw`);
  ctx.setOutput(0, transpose(em, y, TO_NHWC, base));
}

function blockRearrange(ctx: OpContext, opType: 'DepthToSpace' | 'SpaceToDepth'): void {
  const { em, base } = ctx;
  const x = transpose(em, ctx.input(0), TO_NCHW, `${base}_in`);
  // TensorFlow's channel order for depth_to_space is ONNX's DCR mode.
  const attrs: Record<string, AttrInput> = { blocksize: ctx.attr('block_size', 1) };
  if (opType === 'DepthToSpace') attrs.mode = 'DCR';
  ctx.setOutput(0, transpose(em, em.op(opType, [x], attrs, `${base}_nchw`), TO_NHWC, base));
}

function onnxType(dtype: DType): number {
  const code = dtypeToOnnx(dtype);
  return code;
}

/** Converters for softmax, fully connected, resizing, block rearrangement, (de)quantization and casts. */
export const MISC_OPS: Record<string, (ctx: OpContext) => void> = {
  SOFTMAX: softmax('Softmax'),
  LOG_SOFTMAX: softmax('LogSoftmax'),
  FULLY_CONNECTED: fullyConnected,
  RESIZE_BILINEAR: (ctx) => resize(ctx, 'linear'),
  RESIZE_NEAREST_NEIGHBOR: (ctx) => resize(ctx, 'nearest'),
  DEPTH_TO_SPACE: (ctx) => blockRearrange(ctx, 'DepthToSpace'),
  SPACE_TO_DEPTH: (ctx) => blockRearrange(ctx, 'SpaceToDepth'),
  // The float view of a quantized input is already dequantized; a quantized output is quantized on binding.
  QUANTIZE: (ctx) => ctx.setOutput(0, ctx.input(0)),
  DEQUANTIZE: (ctx) => {
    const facts = ctx.facts(0);
    if (facts.quantization) ctx.setOutput(0, ctx.input(0));
    else ctx.setOutput(0, ctx.em.op('Cast', [ctx.raw(0)], { to: onnxType(ctx.outFacts(0).dtype) }, ctx.base));
  },
  CAST: (ctx) => ctx.setOutput(0, ctx.em.op('Cast', [ctx.input(0)], { to: onnxType(ctx.outFacts(0).dtype) }, ctx.base)),
  BATCH_MATMUL: (ctx) => {
    const { em, base } = ctx;
    const swapLast = (v: ReturnType<OpContext['input']>, rank: number) => {
      if (rank < 2) cannot('adj_x and adj_y need inputs of rank 2 or more');
      const perm = [...Array.from({ length: rank - 2 }, (_, i) => i), rank - 1, rank - 2];
      return transpose(em, v, perm, base);
    };
    const a = ctx.attr('adj_x', 0) ? swapLast(ctx.input(0), ctx.facts(0).shape.length) : ctx.input(0);
    const b = ctx.attr('adj_y', 0) ? swapLast(ctx.input(1), ctx.facts(1).shape.length) : ctx.input(1);
    ctx.setOutput(0, em.op('MatMul', [a, b], {}, base));
  },
  DENSIFY: (ctx) => {
    const record = tfliteRecord<TfliteValueRecord>(ctx.node.inputs[0]?.extras);
    const data = ctx.constant(0);
    if (!record?.tensor.sparsity || !data) cannot('DENSIFY needs a constant sparse input');
    const facts = ctx.facts(0);
    const size = data.dtype === 'float32' || data.dtype === 'int32' ? 4 : data.dtype === 'float16' || data.dtype === 'int16' ? 2 : 1;
    const dense = densify(data.bytes(), size, facts.shape, record.tensor.sparsity);
    // folded into a dense constant of the same dtype and quantization: a quantized consumer (e.g. CONV_2D → QLinearConv)
    // then sees an ordinary constant int8 filter rather than a float one computed at run time
    ctx.setConstant(0, new Tensor(`${ctx.base}_dense`, data.dtype, facts.shape, dense), facts.quantization);
  },
  ARG_MAX: (ctx) => argReduce(ctx, 'ArgMax'),
  ARG_MIN: (ctx) => argReduce(ctx, 'ArgMin'),
  TOPK_V2: topKV2,
};

// TOPK_V2: the k largest along the last axis, sorted, ties to the lower index: ONNX TopK's defaults; int32 indices
function topKV2(ctx: OpContext): void {
  const { em, base } = ctx;
  const fixed = constantInts(ctx.constant(1))?.[0];
  const k =
    fixed !== undefined
      ? em.int64([fixed])
      : em.op('Cast', [em.op('Reshape', [ctx.input(1), em.int64([1])], {}, `${base}_k1`)], { to: onnxType('int64') }, `${base}_k`);
  const [values, indices] = em.node('TopK', [ctx.input(0), k], [`${base}_values`, `${base}_i64`], { axis: -1, largest: 1, sorted: 1 });
  ctx.setOutput(0, values);
  const dtype = ctx.outFacts(1).dtype;
  ctx.setOutput(1, dtype === 'int64' ? indices : em.op('Cast', [indices], { to: onnxType(dtype) }, `${base}_indices`));
}

function argReduce(ctx: OpContext, opType: 'ArgMax' | 'ArgMin'): void {
  const axis = constantInts(ctx.constant(1))?.[0] ?? cannot('the axis must be a constant');
  let y = ctx.em.op(opType, [ctx.input(0)], { axis, keepdims: 0 }, `${ctx.base}_i64`);
  if (ctx.outFacts(0).dtype !== 'int64') y = ctx.em.op('Cast', [y], { to: onnxType(ctx.outFacts(0).dtype) }, ctx.base);
  ctx.setOutput(0, y);
}
