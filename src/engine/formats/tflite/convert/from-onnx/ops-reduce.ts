// Reductions, arg-max/min and softmax: axes are mapped into whatever layout the input is held in.
import type { Value } from '../../../../ir/value';
import { cannot } from '../op-context';
import type { TfliteOptions } from '../tflite-emitter';
import type { OnnxOpContext } from './context';
import type { OnnxConverter } from './ops-elementwise';
import { apply, type Perm } from './perm';

const normalize = (axis: number, rank: number): number => {
  const a = axis < 0 ? axis + rank : axis;
  if (a < 0 || a >= rank) cannot(`axis ${axis} is out of range for ${rank} dimensions`);
  return a;
};

/** The reduced axes: from the `axes` attribute (older opsets) or input 1 (ReduceSum 13+, the others 18+); none means all. */
function reducedAxes(ctx: OnnxOpContext, rank: number): number[] {
  const fromInput = ctx.node.inputs.length > 1 && ctx.has(1) ? ctx.numbers(1, 'axes') : undefined;
  const listed = fromInput ?? ctx.node.ints('axes');
  if (!listed || listed.length === 0) {
    if (ctx.node.int('noop_with_empty_axes', 0)) return [];
    return Array.from({ length: rank }, (_, i) => i);
  }
  return [...new Set(listed.map((a) => normalize(a, rank)))].sort((a, b) => a - b);
}

/** The layout of a reduction's result, given its input's layout. */
function reducedLayout(perm: Perm, axes: readonly number[], keep: boolean): Perm {
  if (!perm || keep) return perm;
  const kept = perm.filter((a) => !axes.includes(a));
  return kept.map((a) => a - axes.filter((r) => r < a).length);
}

/** A reduction spelled as `pre` (elementwise, optional), a TFLite reducer, then `post` (optional). */
function reduce(opType: string, pre?: 'square' | 'abs' | 'exp', post?: 'sqrt' | 'log'): OnnxConverter {
  return (ctx) => {
    const shape = ctx.shape(0);
    const rank = shape.length;
    const axes = reducedAxes(ctx, rank);
    const keep = ctx.node.int('keepdims', 1) !== 0;
    const perm = ctx.layout(0);
    const outPerm = reducedLayout(perm, axes, keep);
    let x = ctx.inputIn(0, perm);
    if (axes.length === 0) {
      ctx.alias(0, x, perm);
      return;
    }
    const placedShape = apply(shape, perm);
    if (pre === 'square') x = ctx.em.op('MUL', [x, x], ctx.em.value(`${ctx.base}_sq`, placedShape));
    if (pre === 'abs') x = ctx.em.op('ABS', [x], ctx.em.value(`${ctx.base}_abs`, placedShape));
    if (pre === 'exp') x = ctx.em.op('EXP', [x], ctx.em.value(`${ctx.base}_exp`, placedShape));
    const placedAxes = axes.map((a) => (perm ? perm.indexOf(a) : a)).sort((a, b) => a - b);
    const out = ctx.output(0, outPerm);
    const reduced = post
      ? ctx.em.value(`${ctx.base}_sum`, out.type?.kind === 'tensor' && out.type.shape ? out.type.shape.map(Number) : [1])
      : out;
    ctx.em.op(opType, [x, ctx.em.int32(placedAxes)], reduced, { keep_dims: keep });
    if (post === 'sqrt') ctx.em.op('SQRT', [reduced], out);
    if (post === 'log') ctx.em.op('LOG', [reduced], out);
  };
}

function argReduce(opType: 'ARG_MAX' | 'ARG_MIN'): OnnxConverter {
  return (ctx) => {
    if (ctx.node.int('select_last_index', 0)) cannot('select_last_index=1 has no TFLite equivalent');
    const shape = ctx.shape(0);
    const axis = normalize(ctx.node.int('axis', 0), shape.length);
    const keep = ctx.node.int('keepdims', 1) !== 0;
    const reducedShape = shape.filter((_, i) => i !== axis);
    const x = ctx.input(0);
    if (!keep) {
      ctx.em.op(opType, [x, ctx.em.int32([axis], [])], ctx.output(0), { output_type: 2 });
      return;
    }
    const y = ctx.em.op(opType, [x, ctx.em.int32([axis], [])], ctx.em.value(`${ctx.base}_idx`, reducedShape, 'int32'), { output_type: 2 });
    const out = ctx.outShape(0);
    ctx.em.op('RESHAPE', [y, ctx.em.int32(out)], ctx.output(0), { new_shape: out });
  };
}

/**
 * TopK → TOPK_V2, which takes the k largest along the last axis (sorted, ties to the lower index, as
 * ONNX asks): another axis is moved last first and the results are left in that layout; the k
 * smallest are the k largest of the negated input, negated back.
 */
const topK: OnnxConverter = (ctx) => {
  const shape = ctx.shape(0);
  const rank = shape.length;
  const axis = normalize(ctx.node.int('axis', -1), rank);
  const k = ctx.opset >= 10 ? (ctx.numbers(1, 'k')[0] ?? cannot('k is empty')) : ctx.node.int('k', 1);
  const largest = ctx.node.int('largest', 1) !== 0;
  const perm: Perm | undefined = axis === rank - 1 ? undefined : [...shape.keys()].filter((i) => i !== axis).concat(axis);
  const x = perm ? ctx.inputIn(0, perm) : ctx.input(0);
  const held = perm ? apply(shape, perm) : shape;
  const em = ctx.em;
  const dtype = x.type?.kind === 'tensor' ? x.type.dtype : 'float32';
  const source = largest ? x : em.op('NEG', [x], em.value(`${ctx.base}_neg`, held, dtype));
  const values = largest ? ctx.output(0, perm) : em.value(`${ctx.base}_negk`, [...held.slice(0, -1), k], dtype);
  const indices = ctx.used(1) ? ctx.output(1, perm) : em.value(`${ctx.base}_idx`, [...held.slice(0, -1), k], 'int32');
  em.opN('TOPK_V2', [source, em.int32([k], [])], [values, indices]);
  if (!largest) em.op('NEG', [values], ctx.output(0, perm));
};

/** Softmax / LogSoftmax: over one axis (opset 13+), or over all axes from `axis` on (older opsets). */
function softmax(opType: 'SOFTMAX' | 'LOG_SOFTMAX'): OnnxConverter {
  return (ctx) => {
    const shape = ctx.shape(0);
    const rank = shape.length;
    const legacy = ctx.opset < 13;
    const axis = normalize(ctx.node.int('axis', legacy ? 1 : -1), rank);
    const options: TfliteOptions = opType === 'SOFTMAX' ? { beta: 1 } : {};
    if (legacy && axis < rank - 1) {
      const rows = shape.slice(0, axis).reduce((a, b) => a * b, 1);
      const cols = shape.slice(axis).reduce((a, b) => a * b, 1);
      const flat = ctx.reshape(ctx.input(0), [rows, cols]);
      const y = ctx.em.op(opType, [flat], ctx.em.value(`${ctx.base}_2d`, [rows, cols]), options);
      ctx.em.op('RESHAPE', [y, ctx.em.int32(shape)], ctx.output(0), { new_shape: shape });
      return;
    }
    // TFLite's softmax runs over the last axis: hold the input so that the axis comes last
    const held = ctx.layout(0) ?? Array.from({ length: rank }, (_, i) => i);
    const perm = held.at(-1) === axis ? ctx.layout(0) : [...held.filter((a) => a !== axis), axis];
    const x: Value = ctx.inputIn(0, perm);
    ctx.em.op(opType, [x], ctx.output(0, perm), options);
  };
}

/** Converters for reductions, arg-max/min and softmax. */
export const REDUCE_CONVERTERS: Record<string, OnnxConverter> = {
  ReduceMean: reduce('MEAN'),
  ReduceSum: reduce('SUM'),
  ReduceMax: reduce('REDUCE_MAX'),
  ReduceMin: reduce('REDUCE_MIN'),
  ReduceProd: reduce('REDUCE_PROD'),
  ReduceL1: reduce('SUM', 'abs'),
  ReduceL2: reduce('SUM', 'square', 'sqrt'),
  ReduceSumSquare: reduce('SUM', 'square'),
  ReduceLogSumExp: reduce('SUM', 'exp', 'log'),
  ArgMax: argReduce('ARG_MAX'),
  ArgMin: argReduce('ARG_MIN'),
  TopK: topK,
  Softmax: softmax('SOFTMAX'),
  LogSoftmax: softmax('LOG_SOFTMAX'),
};
