// Ops that move data around: reshapes, transposes, concatenation, splits, slices, gathers, padding.
// Transposes cost nothing here: the result is the same tensor seen in another layout.
import type { Value } from '../../../../ir/value';
import { cannot } from '../op-context';
import type { OnnxOpContext } from './context';
import { operand, sharedLayout, type OnnxConverter } from './ops-elementwise';
import { apply, compose, identity, invert, placedAxis, type Perm } from './perm';

const normalize = (axis: number, rank: number): number => {
  const a = axis < 0 ? axis + rank : axis;
  if (a < 0 || a >= rank) cannot(`axis ${axis} is out of range for ${rank} dimensions`);
  return a;
};

/** Reshape, Flatten, Squeeze, Unsqueeze: the output shape is known, so all become RESHAPE. */
function reshape(ctx: OnnxOpContext): void {
  const shape = ctx.outShape(0);
  const x = ctx.input(0);
  ctx.em.op('RESHAPE', [x, ctx.em.int32(shape)], ctx.output(0), { new_shape: shape });
}

function transpose(ctx: OnnxOpContext): void {
  const rank = ctx.shape(0).length;
  const perm = ctx.node.ints('perm') ?? Array.from({ length: rank }, (_, i) => rank - 1 - i);
  if (perm.length !== rank) cannot(`perm has ${perm.length} entries for ${rank} dimensions`);
  const held = ctx.layout(0) ?? identity(rank);
  // the input tensor holds ONNX input axis held[k] at k; ONNX output axis j is input axis perm[j]
  ctx.alias(0, ctx.inputIn(0, held), compose(invert(perm), held));
}

function concat(ctx: OnnxOpContext): void {
  const count = ctx.node.inputs.length;
  const inputs = Array.from({ length: count }, (_, i) => i);
  const rank = ctx.outShape(0).length;
  const axis = normalize(ctx.node.int('axis', 0), rank);
  const perm = sharedLayout(ctx, inputs);
  const used = inputs.filter((i) => ctx.shape(i)[axis] !== 0);
  ctx.em.op(
    'CONCATENATION',
    used.map((i) => operand(ctx, i, perm)),
    ctx.output(0, perm),
    { axis: placedAxis(perm, axis) },
  );
}

function split(ctx: OnnxOpContext): void {
  const rank = ctx.shape(0).length;
  const axis = normalize(ctx.node.int('axis', 0), rank);
  const perm = ctx.layout(0);
  const sizes = ctx.node.outputs.map((_, i) => ctx.outShape(i)[axis] ?? cannot('an output has fewer dimensions than the input'));
  const outs = ctx.node.outputs.map((o, i) => (o ? ctx.output(i, perm) : ctx.em.value(`${ctx.base}_unused${i}`, [1])));
  ctx.em.opN('SPLIT_V', [ctx.inputIn(0, perm), ctx.em.int32(sizes), ctx.em.int32([placedAxis(perm, axis)], [])], outs, {
    num_splits: outs.length,
  });
}

/** Slice (attributes before opset 10, inputs after): one STRIDED_SLICE over every axis. */
function slice(ctx: OnnxOpContext): void {
  const shape = ctx.shape(0);
  const rank = shape.length;
  const attrs = ctx.node.inputs.length === 1;
  const list = (i: number, attr: string, what: string): number[] | undefined =>
    attrs ? ctx.node.ints(attr) : ctx.has(i) ? ctx.numbers(i, what) : undefined;
  const starts = list(1, 'starts', 'starts') ?? cannot('starts are missing');
  const ends = list(2, 'ends', 'ends') ?? cannot('ends are missing');
  const axes = (list(3, 'axes', 'axes') ?? starts.map((_, i) => i)).map((a) => normalize(a, rank));
  const steps = attrs ? starts.map(() => 1) : (list(4, 'steps', 'steps') ?? starts.map(() => 1));
  const begin = new Array<number>(rank).fill(0);
  const end = [...shape];
  const stride = new Array<number>(rank).fill(1);
  let endMask = 0;
  axes.forEach((axis, i) => {
    const dim = shape[axis] ?? 0;
    const [start, stop, step] = [starts[i], ends[i], steps[i]];
    if (start === undefined || stop === undefined || step === undefined) cannot('starts, ends, axes and steps must have the same length');
    if (step === 0) cannot('a slice step of 0 is invalid');
    const at = (v: number): number => (v < 0 ? v + dim : v);
    stride[axis] = step;
    if (step > 0) {
      begin[axis] = Math.min(Math.max(at(start), 0), dim);
      end[axis] = Math.min(Math.max(at(stop), 0), dim);
    } else {
      begin[axis] = Math.min(Math.max(at(start), 0), dim - 1);
      const e = Math.min(Math.max(at(stop), -1), dim - 1);
      // -1 here means "before the first element", which STRIDED_SLICE spells as an end mask
      if (e < 0) endMask |= 1 << axis;
      end[axis] = e;
    }
  });
  if (ctx.outShape(0).some((d) => d === 0)) cannot('the slice is empty');
  const perm = ctx.layout(0);
  const placedMask = apply(
    Array.from({ length: rank }, (_, a) => (endMask >> a) & 1),
    perm,
  ).reduce((m, bit, k) => m | (bit << k), 0);
  ctx.em.op(
    'STRIDED_SLICE',
    [ctx.inputIn(0, perm), ctx.em.int32(apply(begin, perm)), ctx.em.int32(apply(end, perm)), ctx.em.int32(apply(stride, perm))],
    ctx.output(0, perm),
    { begin_mask: 0, end_mask: placedMask },
  );
}

function gather(ctx: OnnxOpContext): void {
  const shape = ctx.shape(0);
  const rank = shape.length;
  const axis = normalize(ctx.node.int('axis', 0), rank);
  const dim = shape[axis] ?? 1;
  const constant = ctx.constant(1);
  const indexShape = ctx.shape(1);
  let indices: Value;
  if (constant) {
    const values = ctx.numbers(1, 'indices').map((v) => {
      const i = v < 0 ? v + dim : v;
      if (i < 0 || i >= dim) cannot(`index ${v} is out of range for a dimension of ${dim}`);
      return i;
    });
    indices = ctx.em.int32(values, indexShape.length ? indexShape : [1]);
  } else {
    // negative indices count from the end: FLOOR_MOD maps them into range, leaves the others as they are
    const raw = ctx.input(1);
    indices = ctx.em.op('FLOOR_MOD', [raw, ctx.em.int32([dim], [])], ctx.em.value(`${ctx.base}_index`, indexShape, 'int32'));
    if (!indexShape.length) indices = ctx.reshape(indices, [1]);
  }
  const perm = indexShape.length === 1 ? ctx.layout(0) : undefined;
  const outShape = ctx.outShape(0);
  if (indexShape.length === 0) {
    // a scalar index drops the axis: gather one entry, then reshape it away
    const x = ctx.input(0);
    const kept = [...shape.slice(0, axis), 1, ...shape.slice(axis + 1)];
    const dtype = x.type?.kind === 'tensor' ? x.type.dtype : 'float32';
    const y = ctx.em.op('GATHER', [x, indices], ctx.em.value(`${ctx.base}_g`, kept, dtype), { axis });
    ctx.em.op('RESHAPE', [y, ctx.em.int32(outShape)], ctx.output(0), { new_shape: outShape });
    return;
  }
  ctx.em.op('GATHER', [ctx.inputIn(0, perm), indices], ctx.output(0, perm), { axis: placedAxis(perm, axis) });
}

function pad(ctx: OnnxOpContext): void {
  const shape = ctx.shape(0);
  const rank = shape.length;
  const mode = ctx.node.string('mode', 'constant');
  const attrs = ctx.node.inputs.length === 1;
  let pads = attrs ? (ctx.node.ints('pads') ?? ctx.node.ints('paddings') ?? cannot('pads are missing')) : ctx.numbers(1, 'pads');
  if (!attrs && ctx.node.inputs.length > 3 && ctx.has(3)) {
    // opset 18: pads for the listed axes only
    const axes = ctx.numbers(3, 'axes').map((a) => normalize(a, rank));
    const full = new Array<number>(2 * rank).fill(0);
    axes.forEach((a, i) => {
      full[a] = pads[i] ?? 0;
      full[a + rank] = pads[i + axes.length] ?? 0;
    });
    pads = full;
  }
  if (pads.length !== 2 * rank) cannot(`pads must list a begin and an end for each of the ${rank} dimensions`);
  if (pads.some((p) => p < 0)) cannot('negative padding (cropping) is not supported');
  const value = attrs ? ctx.node.float('value', 0) : ctx.has(2) ? (ctx.numbers(2, 'the padding value')[0] ?? 0) : 0;
  const perm = ctx.layout(0);
  // ONNX lists all begins, then all ends; TFLite wants a (begin, end) pair per axis
  const pairs = apply(
    Array.from({ length: rank }, (_, a) => [pads[a] ?? 0, pads[a + rank] ?? 0]),
    perm,
  ).flat();
  const paddings = ctx.em.int32(pairs, [rank, 2]);
  const x = ctx.inputIn(0, perm);
  if (mode === 'constant') {
    if (value === 0) ctx.em.op('PAD', [x, paddings], ctx.output(0, perm));
    else ctx.em.op('PADV2', [x, paddings, ctx.em.float32(`${ctx.base}_value`, [value], [])], ctx.output(0, perm));
  } else if (mode === 'reflect') {
    ctx.em.op('MIRROR_PAD', [x, paddings], ctx.output(0, perm), { mode: 0 });
  } else if (mode === 'edge') {
    edgePad(ctx, x, apply(shape, perm), pairs, perm);
  } else {
    cannot(`pad mode '${mode}' is not supported`);
  }
}

/** Edge padding: the first and last slice of each axis repeated (TILE) and concatenated around the data. */
function edgePad(ctx: OnnxOpContext, x: Value, shape: readonly number[], pairs: readonly number[], perm: Perm): void {
  const dtype = x.type?.kind === 'tensor' ? x.type.dtype : 'float32';
  let current = x;
  let currentShape = [...shape];
  const padded = shape.map((_, a) => (pairs[2 * a] ?? 0) + (pairs[2 * a + 1] ?? 0) > 0);
  const last = padded.lastIndexOf(true);
  shape.forEach((dim, a) => {
    const before = pairs[2 * a] ?? 0;
    const after = pairs[2 * a + 1] ?? 0;
    if (!before && !after) return;
    const pieces: Value[] = [];
    const edge = (at: number, count: number): Value => {
      const begin = currentShape.map((_, k) => (k === a ? at : 0));
      const size = currentShape.map((d, k) => (k === a ? 1 : d));
      const one = ctx.em.op('SLICE', [current, ctx.em.int32(begin), ctx.em.int32(size)], ctx.em.value(`${ctx.base}_edge`, size, dtype));
      const multiples = currentShape.map((_, k) => (k === a ? count : 1));
      const tiled = size.map((d, k) => (k === a ? count : d));
      return ctx.em.op('TILE', [one, ctx.em.int32(multiples)], ctx.em.value(`${ctx.base}_tile`, tiled, dtype));
    };
    if (before) pieces.push(edge(0, before));
    pieces.push(current);
    if (after) pieces.push(edge(dim - 1, after));
    currentShape = currentShape.map((d, k) => (k === a ? d + before + after : d));
    const out = a === last ? ctx.output(0, perm) : ctx.em.value(`${ctx.base}_pad${a}`, currentShape, dtype);
    current = ctx.em.op('CONCATENATION', pieces, out, { axis: a });
  });
}

function expand(ctx: OnnxOpContext): void {
  const shape = ctx.outShape(0);
  if (shape.length === ctx.shape(0).length && shape.every((d, i) => d === ctx.shape(0)[i])) {
    ctx.alias(0, ctx.inputIn(0, ctx.layout(0)), ctx.layout(0));
    return;
  }
  ctx.em.op('BROADCAST_TO', [ctx.input(0), ctx.em.int32(shape)], ctx.output(0));
}

function tile(ctx: OnnxOpContext): void {
  const perm = ctx.layout(0);
  const repeats = ctx.numbers(1, 'repeats');
  ctx.em.op('TILE', [ctx.inputIn(0, perm), ctx.em.int32(apply(repeats, perm))], ctx.output(0, perm));
}

const NHWC = [0, 2, 3, 1];

function depthToSpace(ctx: OnnxOpContext): void {
  const block = ctx.node.int('blocksize', 1);
  const [n = 1, c = 1, h = 1, w = 1] = ctx.shape(0);
  if (ctx.node.string('mode', 'DCR') === 'DCR') {
    ctx.em.op('DEPTH_TO_SPACE', [ctx.inputIn(0, NHWC)], ctx.output(0, NHWC), { block_size: block });
    return;
  }
  // CRD: channels split as (C', b, b), then the blocks move next to H and W
  const split = ctx.reshape(ctx.input(0), [n, c / (block * block), block, block, h, w]);
  const moved = ctx.transpose(split, [n, c / (block * block), block, block, h, w], [0, 1, 4, 2, 5, 3]);
  const out = ctx.outShape(0);
  ctx.em.op('RESHAPE', [moved, ctx.em.int32(out)], ctx.output(0), { new_shape: out });
}

function spaceToDepth(ctx: OnnxOpContext): void {
  ctx.em.op('SPACE_TO_DEPTH', [ctx.inputIn(0, NHWC)], ctx.output(0, NHWC), { block_size: ctx.node.int('blocksize', 1) });
}

/** Converters for reshaping, transposing, concatenating, splitting, slicing, gathering and padding. */
export const SHAPE_CONVERTERS: Record<string, OnnxConverter> = {
  Reshape: reshape,
  Flatten: reshape,
  Squeeze: reshape,
  Unsqueeze: reshape,
  Transpose: transpose,
  Concat: concat,
  Split: split,
  Slice: slice,
  Gather: gather,
  Pad: pad,
  Expand: expand,
  Tile: tile,
  DepthToSpace: depthToSpace,
  SpaceToDepth: spaceToDepth,
};
