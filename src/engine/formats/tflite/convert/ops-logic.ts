// TFLite comparisons, logic and selection, and ops that repeat, stack or split data, in ONNX.
import { cannot, constantInts, type OpContext } from './op-context';

const normalize = (axis: number, rank: number): number => (axis < 0 ? axis + rank : axis);

function compare(opType: string, negate = false) {
  return (ctx: OpContext): void => {
    const y = ctx.em.op(opType, [ctx.input(0), ctx.input(1)], {}, negate ? `${ctx.base}_eq` : ctx.base);
    ctx.setOutput(0, negate ? ctx.em.op('Not', [y], {}, ctx.base) : y);
  };
}

function logical(opType: string) {
  return (ctx: OpContext): void => {
    const inputs = opType === 'Not' ? [ctx.raw(0)] : [ctx.raw(0), ctx.raw(1)];
    ctx.setOutput(0, ctx.em.op(opType, inputs, {}, ctx.base));
  };
}

function split(ctx: OpContext, axisInput: number, dataInput: number, sizes: number[] | undefined): void {
  const { em, base } = ctx;
  const shape = ctx.facts(dataInput).shape;
  const axis = normalize(constantInts(ctx.constant(axisInput))?.[0] ?? cannot('the split axis must be a constant'), shape.length);
  const count = ctx.node.outputs.length;
  const dim = shape[axis] ?? cannot(`axis ${axis} is out of range`);
  let parts = sizes ?? new Array<number>(count).fill(dim / count);
  const unknown = parts.indexOf(-1);
  if (unknown >= 0) parts = parts.map((p, i) => (i === unknown ? dim - parts.reduce((a, b) => a + (b < 0 ? 0 : b), 0) : p));
  if (parts.some((p) => !Number.isInteger(p) || p < 0)) cannot(`${dim} cannot be split into ${count} parts`);
  const outs = em.node(
    'Split',
    [ctx.input(dataInput), em.int64(parts)],
    ctx.node.outputs.map((_, i) => `${base}_${i}`),
    { axis },
  );
  outs.forEach((o, i) => ctx.setOutput(i, o));
}

function pack(ctx: OpContext): void {
  const { em, base } = ctx;
  const rank = ctx.facts(0).shape.length + 1;
  const axis = normalize(ctx.attr('axis', 0), rank);
  const parts = ctx.node.inputs.map((_, i) => em.op('Unsqueeze', [ctx.input(i), em.int64([axis])], {}, `${base}_u${i}`));
  ctx.setOutput(0, em.op('Concat', parts, { axis }, base));
}

function unpack(ctx: OpContext): void {
  const { em, base } = ctx;
  const shape = ctx.facts(0).shape;
  const axis = normalize(ctx.attr('axis', 0), shape.length);
  const count = ctx.node.outputs.length;
  const parts = em.node(
    'Split',
    [ctx.input(0), em.int64(new Array<number>(count).fill(1))],
    ctx.node.outputs.map((_, i) => `${base}_s${i}`),
    { axis },
  );
  parts.forEach((p, i) => ctx.setOutput(i, em.op('Squeeze', [p, em.int64([axis])], {}, `${base}_${i}`)));
}

function reverse(ctx: OpContext): void {
  const { em, base } = ctx;
  const rank = ctx.facts(0).shape.length;
  const axes = (constantInts(ctx.constant(1)) ?? cannot('the axes must be a constant')).map((a) => normalize(a, rank));
  // a slice from the last element back past the first, per axis
  const y = em.op(
    'Slice',
    [
      ctx.input(0),
      em.int64(axes.map(() => -1)),
      em.int64(axes.map(() => Number.MIN_SAFE_INTEGER)),
      em.int64(axes),
      em.int64(axes.map(() => -1)),
    ],
    {},
    base,
  );
  ctx.setOutput(0, y);
}

function floorMod(ctx: OpContext): void {
  const { em, base } = ctx;
  if (ctx.outFacts(0).dtype.startsWith('int')) {
    ctx.setOutput(0, em.op('Mod', [ctx.input(0), ctx.input(1)], { fmod: 0 }, base));
    return;
  }
  // x − floor(x / y)·y
  const q = em.op('Floor', [em.op('Div', [ctx.input(0), ctx.input(1)], {}, `${base}_div`)], {}, `${base}_floor`);
  ctx.setOutput(0, em.op('Sub', [ctx.input(0), em.op('Mul', [q, ctx.input(1)], {}, `${base}_qy`)], {}, base));
}

/** Converters for comparisons, logic, selection, stacking, splitting and repeating. */
export const LOGIC_OPS: Record<string, (ctx: OpContext) => void> = {
  EQUAL: compare('Equal'),
  NOT_EQUAL: compare('Equal', true),
  GREATER: compare('Greater'),
  GREATER_EQUAL: compare('GreaterOrEqual'),
  LESS: compare('Less'),
  LESS_EQUAL: compare('LessOrEqual'),
  LOGICAL_AND: logical('And'),
  LOGICAL_OR: logical('Or'),
  LOGICAL_NOT: logical('Not'),
  SELECT: (ctx) => ctx.setOutput(0, ctx.em.op('Where', [ctx.raw(0), ctx.input(1), ctx.input(2)], {}, ctx.base)),
  SELECT_V2: (ctx) => ctx.setOutput(0, ctx.em.op('Where', [ctx.raw(0), ctx.input(1), ctx.input(2)], {}, ctx.base)),
  SPLIT: (ctx) => split(ctx, 0, 1, undefined),
  SPLIT_V: (ctx) => split(ctx, 2, 0, constantInts(ctx.constant(1)) ?? cannot('the split sizes must be a constant')),
  PACK: pack,
  UNPACK: unpack,
  TILE: (ctx) =>
    ctx.setOutput(
      0,
      ctx.em.op(
        'Tile',
        [ctx.input(0), ctx.em.int64(constantInts(ctx.constant(1)) ?? cannot('the multiples must be a constant'))],
        {},
        ctx.base,
      ),
    ),
  BROADCAST_TO: (ctx) => ctx.setOutput(0, ctx.em.op('Expand', [ctx.input(0), ctx.em.int64(ctx.outFacts(0).shape)], {}, ctx.base)),
  REVERSE_V2: reverse,
  FLOOR_MOD: floorMod,
  ROUND: (ctx) => ctx.setOutput(0, ctx.em.op('Round', [ctx.input(0)], {}, ctx.base)),
  SIGN: (ctx) => ctx.setOutput(0, ctx.em.op('Sign', [ctx.input(0)], {}, ctx.base)),
};
