import { fusedActivation } from './layout';
import type { Value } from '../../../ir/value';
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
  const mismatch = (): never => cannot('begin, end and strides need one entry per sliced dimension of the input');
  const dims = begin.map((b, i) => ({ b, e: end[i] ?? mismatch(), s: strides[i] ?? mismatch(), dim: shape[i] ?? mismatch() }));
  const starts: number[] = [];
  const ends: number[] = [];
  dims.forEach(({ b, e, s, dim }, i) => {
    if (shrink & (1 << i)) {
      const at = b < 0 ? b + dim : b;
      starts.push(at);
      ends.push(at + 1);
      return;
    }
    starts.push(beginMask & (1 << i) ? (s > 0 ? 0 : dim - 1) : b);
    ends.push(endMask & (1 << i) ? (s > 0 ? dim : -dim - 1) : e);
  });
  const axes = begin.map((_, i) => i);
  const steps = dims.map(({ s }, i) => (shrink & (1 << i) ? 1 : s));
  const { em, base } = ctx;
  let y = em.op('Slice', [ctx.input(0), em.int64(starts), em.int64(ends), em.int64(axes), em.int64(steps)], {}, `${base}_slice`);
  const squeeze = axes.filter((i) => shrink & (1 << i));
  if (squeeze.length) y = em.op('Squeeze', [y, em.int64(squeeze)], {}, base);
  ctx.setOutput(0, y);
}

// Where the shape signature leaves dimensions open, reshapes are written so that they hold at every size:
//   RESHAPE      → Reshape to the signature (−1 for its one open dimension; more than one: the stored sizes)
//   SQUEEZE      → Squeeze of its axes (squeeze_dims, or every dimension of size 1 that is not open)
//   EXPAND_DIMS  → Unsqueeze at its axis

function reshapeTo(ctx: OpContext): number[] {
  const out = ctx.outFacts(0);
  const open = out.open?.filter((d) => d === null).length === 1 ? out.open : undefined;
  return open ? open.map((d) => d ?? -1) : out.shape;
}

function openSqueeze(ctx: OpContext): Value | undefined {
  const input = ctx.facts(0);
  if (!input.open) return undefined;
  const rank = input.shape.length;
  const listed = (ctx.node.ints('squeeze_dims') ?? []).map((a) => normalize(a, rank));
  const axes = listed.length ? listed : input.open.flatMap((d, i) => (d === 1 ? [i] : []));
  return ctx.em.op('Squeeze', [ctx.input(0), ctx.em.int64(axes)], {}, ctx.base);
}

function openExpand(ctx: OpContext): Value | undefined {
  if (!ctx.facts(0).open) return undefined;
  const [axis] = constInts(ctx, 1, 'axis');
  if (axis === undefined) cannot('the axis is missing');
  return ctx.em.op('Unsqueeze', [ctx.input(0), ctx.em.int64([normalize(axis, ctx.outFacts(0).shape.length)])], {}, ctx.base);
}

/** Converters for ops that move or reshape data. */
export const SHAPE_OPS: Record<string, (ctx: OpContext) => void> = {
  RESHAPE: (ctx) => ctx.setOutput(0, ctx.em.op('Reshape', [ctx.input(0), ctx.em.int64(reshapeTo(ctx))], {}, ctx.base)),
  SQUEEZE: (ctx) =>
    ctx.setOutput(0, openSqueeze(ctx) ?? ctx.em.op('Reshape', [ctx.input(0), ctx.em.int64(ctx.outFacts(0).shape)], {}, ctx.base)),
  EXPAND_DIMS: (ctx) =>
    ctx.setOutput(0, openExpand(ctx) ?? ctx.em.op('Reshape', [ctx.input(0), ctx.em.int64(ctx.outFacts(0).shape)], {}, ctx.base)),
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
    const ends = size.map((s, i) => {
      const from = begin[i] ?? cannot('begin and size need one entry per sliced dimension');
      return s < 0 ? (shape[i] ?? cannot('size has more entries than the input has dimensions')) : from + s;
    });
    ctx.setOutput(
      0,
      ctx.em.op('Slice', [ctx.input(0), ctx.em.int64(begin), ctx.em.int64(ends), ctx.em.int64(begin.map((_, i) => i))], {}, ctx.base),
    );
  },
  GATHER: (ctx) => ctx.setOutput(0, ctx.em.op('Gather', [ctx.input(0), ctx.raw(1)], { axis: ctx.attr('axis', 0) }, ctx.base)),
};

function pad(ctx: OpContext, mode: string): void {
  const paddings = constInts(ctx, 1, 'paddings');
  if (paddings.length % 2 !== 0) cannot('paddings must come in (before, after) pairs');
  // TFLite pairs (before, after) per dimension; ONNX lists all befores, then all afters.
  const pads = [...paddings.filter((_, i) => i % 2 === 0), ...paddings.filter((_, i) => i % 2 === 1)];
  // Quantized PAD fills with the zero point, i.e. real 0: the float view pads with 0.
  const value = ctx.node.inputs.length > 2 && ctx.has(2) ? ctx.input(2) : undefined;
  ctx.setOutput(0, ctx.em.op('Pad', [ctx.input(0), ctx.em.int64(pads), value], { mode }, ctx.base));
}
