import { fusedActivation } from './layout';
import { cannot, constantInts, type OpContext } from './op-context';

const normalize = (axis: number, rank: number): number => (axis < 0 ? axis + rank : axis);

function constInts(ctx: OpContext, i: number, what: string): number[] {
  const values = constantInts(ctx.constant(i));
  if (!values) cannot(`the ${what} must be a constant`);
  return values;
}

function reduce(opType: string) {
  return (ctx: OpContext): void => {
    const rank = ctx.facts(0).shape.length;
    const axes = constInts(ctx, 1, 'axes').map((a) => normalize(a, rank));
    ctx.setOutput(0, ctx.em.op(opType, [ctx.input(0), ctx.em.int64(axes)], { keepdims: ctx.attr('keep_dims', 0) }, ctx.base));
  };
}

function stridedSlice(ctx: OpContext): void {
  const shape = ctx.facts(0).shape;
  const begin = constInts(ctx, 1, 'begin');
  const end = constInts(ctx, 2, 'end');
  const strides = ctx.has(3) ? constInts(ctx, 3, 'strides') : begin.map(() => 1);
  if (ctx.attr('ellipsis_mask', 0) || ctx.attr('new_axis_mask', 0)) cannot('ellipsis and new-axis masks are not supported');
  if (ctx.attr('offset', 0)) cannot('offset mode is not supported');
  const beginMask = ctx.attr('begin_mask', 0);
  const endMask = ctx.attr('end_mask', 0);
  const shrink = ctx.attr('shrink_axis_mask', 0);
  const starts: number[] = [];
  const ends: number[] = [];
  begin.forEach((b, i) => {
    const s = strides[i];
    const dim = shape[i];
    if (shrink & (1 << i)) {
      const at = b < 0 ? b + dim : b;
      starts.push(at);
      ends.push(at + 1);
      return;
    }
    starts.push(beginMask & (1 << i) ? (s > 0 ? 0 : dim - 1) : b);
    ends.push(endMask & (1 << i) ? (s > 0 ? dim : -dim - 1) : end[i]);
  });
  const axes = begin.map((_, i) => i);
  const steps = begin.map((_, i) => (shrink & (1 << i) ? 1 : strides[i]));
  const { em, base } = ctx;
  let y = em.op('Slice', [ctx.input(0), em.int64(starts), em.int64(ends), em.int64(axes), em.int64(steps)], {}, `${base}_slice`);
  const squeeze = axes.filter((i) => shrink & (1 << i));
  if (squeeze.length) y = em.op('Squeeze', [y, em.int64(squeeze)], {}, base);
  ctx.setOutput(0, y);
}

/** Converters for ops that move or reshape data. */
export const SHAPE_OPS: Record<string, (ctx: OpContext) => void> = {
  RESHAPE: (ctx) => ctx.setOutput(0, ctx.em.op('Reshape', [ctx.input(0), ctx.em.int64(ctx.outFacts(0).shape)], {}, ctx.base)),
  SQUEEZE: (ctx) => ctx.setOutput(0, ctx.em.op('Reshape', [ctx.input(0), ctx.em.int64(ctx.outFacts(0).shape)], {}, ctx.base)),
  EXPAND_DIMS: (ctx) => ctx.setOutput(0, ctx.em.op('Reshape', [ctx.input(0), ctx.em.int64(ctx.outFacts(0).shape)], {}, ctx.base)),
  TRANSPOSE: (ctx) => ctx.setOutput(0, ctx.em.op('Transpose', [ctx.input(0)], { perm: constInts(ctx, 1, 'permutation') }, ctx.base)),
  CONCATENATION: (ctx) => {
    const inputs = ctx.node.inputs.map((_, i) => ctx.input(i));
    const axis = normalize(ctx.attr('axis', 0), ctx.facts(0).shape.length);
    const y = ctx.em.op('Concat', inputs, { axis }, `${ctx.base}_pre`);
    ctx.setOutput(0, fusedActivation(ctx.em, y, ctx.attr('fused_activation_function', 0), ctx.base));
  },
  PAD: (ctx) => pad(ctx, 'constant'),
  PADV2: (ctx) => pad(ctx, 'constant'),
  MIRROR_PAD: (ctx) => pad(ctx, ctx.attr('mode', 0) === 0 ? 'reflect' : cannot('SYMMETRIC mirror padding has no ONNX equivalent')),
  MEAN: reduce('ReduceMean'),
  SUM: reduce('ReduceSum'),
  REDUCE_MAX: reduce('ReduceMax'),
  REDUCE_MIN: reduce('ReduceMin'),
  REDUCE_PROD: reduce('ReduceProd'),
  STRIDED_SLICE: stridedSlice,
  SLICE: (ctx) => {
    const shape = ctx.facts(0).shape;
    const begin = constInts(ctx, 1, 'begin');
    const size = constInts(ctx, 2, 'size');
    const ends = size.map((s, i) => (s < 0 ? shape[i] : begin[i] + s));
    ctx.setOutput(
      0,
      ctx.em.op('Slice', [ctx.input(0), ctx.em.int64(begin), ctx.em.int64(ends), ctx.em.int64(begin.map((_, i) => i))], {}, ctx.base),
    );
  },
  GATHER: (ctx) => ctx.setOutput(0, ctx.em.op('Gather', [ctx.input(0), ctx.raw(1)], { axis: ctx.attr('axis', 0) }, ctx.base)),
};

function pad(ctx: OpContext, mode: string): void {
  const paddings = constInts(ctx, 1, 'paddings');
  const rank = paddings.length / 2;
  const pads = [...Array.from({ length: rank }, (_, i) => paddings[2 * i]), ...Array.from({ length: rank }, (_, i) => paddings[2 * i + 1])];
  // Quantized PAD fills with the zero point, i.e. real 0: the float view pads with 0.
  const value = ctx.node.inputs.length > 2 && ctx.has(2) ? ctx.input(2) : undefined;
  ctx.setOutput(0, ctx.em.op('Pad', [ctx.input(0), ctx.em.int64(pads), value], { mode }, ctx.base));
}
