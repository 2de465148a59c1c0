import type { Value } from '../../../../ir/value';
import { cannot } from '../op-context';
import type { TfliteOptions } from '../tflite-emitter';
import type { OnnxOpContext } from './context';
import { constantNumbers } from './narrow';
import { isIdentity, type Perm } from './perm';

/** An ONNX op converter. */
export type OnnxConverter = (ctx: OnnxOpContext) => void;

const isScalarLike = (shape: readonly number[]): boolean => shape.every((d) => d === 1);

/**
 * The layout an elementwise op works in: that of its inputs when every non-constant input holds
 * the full rank in the same layout (constants are permuted to match); else the ONNX layout.
 */
export function sharedLayout(ctx: OnnxOpContext, inputs: readonly number[]): Perm {
  const rank = ctx.outShape(0).length;
  let perm: Perm;
  let chosen = false;
  for (const i of inputs) {
    if (!ctx.has(i) || ctx.constant(i) || isScalarLike(ctx.shape(i))) continue;
    if (ctx.shape(i).length !== rank) return undefined;
    const p = ctx.layout(i);
    if (!chosen) {
      perm = p;
      chosen = true;
    } else if (String(p ?? '') !== String(perm ?? '')) return undefined;
  }
  return perm;
}

/** Input `i` of an elementwise op computed in layout `perm`: constants broadcast to full rank and permuted, scalars as they are. */
export function operand(ctx: OnnxOpContext, i: number, perm: Perm): Value {
  const rank = ctx.outShape(0).length;
  const shape = ctx.shape(i);
  const t = ctx.constant(i);
  if (isIdentity(perm) || isScalarLike(shape)) return ctx.inputIn(i, undefined);
  if (t) return ctx.tensor(t, perm, rank);
  return ctx.inputIn(i, perm);
}

/** An op applied to inputs `inputs` elementwise (with broadcasting), in their shared layout. */
export function elementwise(opType: string, options: TfliteOptions = {}, inputs: readonly number[] = [0, 1]): OnnxConverter {
  return (ctx) => {
    const perm = sharedLayout(ctx, inputs);
    ctx.em.op(
      opType,
      inputs.map((i) => operand(ctx, i, perm)),
      ctx.output(0, perm),
      options,
    );
  };
}

/** A unary op kept in its input's layout. */
export function unary(opType: string, options: (ctx: OnnxOpContext) => TfliteOptions = () => ({})): OnnxConverter {
  return (ctx) => {
    const perm = ctx.layout(0);
    ctx.em.op(opType, [ctx.inputIn(0, perm)], ctx.output(0, perm), options(ctx));
  };
}

/** Variadic Max/Min/Sum: the binary op applied left to right. */
function variadic(opType: string): OnnxConverter {
  return (ctx) => {
    const count = ctx.node.inputs.length;
    if (count === 1) {
      ctx.alias(0, ctx.inputIn(0, ctx.layout(0)), ctx.layout(0));
      return;
    }
    const all = Array.from({ length: count }, (_, i) => i);
    const perm = sharedLayout(ctx, all);
    const shape = ctx.outShape(0);
    let acc = operand(ctx, 0, perm);
    for (let i = 1; i < count; i++) {
      const last = i === count - 1;
      const out = last
        ? ctx.output(0, perm)
        : ctx.em.value(`${ctx.base}_${i}`, permutedShape(shape, perm), acc.type?.kind === 'tensor' ? acc.type.dtype : 'float32');
      acc = ctx.em.op(opType, [acc, operand(ctx, i, perm)], out);
    }
  };
}

function permutedShape(shape: readonly number[], perm: Perm): number[] {
  return perm ? perm.map((a) => shape[a] ?? 1) : [...shape];
}

/** A float scalar constant. */
function scalar(ctx: OnnxOpContext, value: number, name: string): Value {
  return ctx.em.float32(`${ctx.base}_${name}`, [value], []);
}

/** Pow with a constant exponent becomes multiplications or a square root where exact; else POW. */
function pow(ctx: OnnxOpContext): void {
  const exponent = ctx.constant(1);
  const values = exponent ? constantNumbers(exponent) : [];
  const e = values.length > 0 && values.every((v) => v === values[0]) ? values[0] : undefined;
  const perm = ctx.layout(0);
  const x = ctx.inputIn(0, perm);
  const same = ctx.outShape(0).length === ctx.shape(0).length;
  if (same && ctx.dtype(0) === 'float32' && e !== undefined) {
    if (e === 1) return ctx.alias(0, x, perm);
    if (e === 2) return void ctx.em.op('MUL', [x, x], ctx.output(0, perm));
    if (e === 0.5) return void ctx.em.op('SQRT', [x], ctx.output(0, perm));
    if (e === -1) return void ctx.em.op('DIV', [scalar(ctx, 1, 'one'), x], ctx.output(0, perm));
    if (e === 3) {
      const square = ctx.em.op('MUL', [x, x], ctx.em.value(`${ctx.base}_sq`, permutedShape(ctx.shape(0), perm)));
      return void ctx.em.op('MUL', [square, x], ctx.output(0, perm));
    }
  }
  elementwise('POW')(ctx);
}

function clip(ctx: OnnxOpContext): void {
  // opset < 11 gives the bounds as attributes; later as optional inputs
  const bound = (i: number, attr: string, fallback: number): number | Value => {
    if (ctx.node.inputs.length > i && ctx.has(i)) {
      const t = ctx.constant(i);
      return t ? (constantNumbers(t)[0] ?? fallback) : ctx.input(i);
    }
    return ctx.node.float(attr, fallback);
  };
  const lo = bound(1, 'min', -Infinity);
  const hi = bound(2, 'max', Infinity);
  const perm = ctx.layout(0);
  const x = ctx.inputIn(0, perm);
  if (ctx.dtype(0) === 'float32' && typeof lo === 'number' && typeof hi === 'number') {
    const named =
      lo === 0 && hi === 6 ? 'RELU6' : lo === -1 && hi === 1 ? 'RELU_N1_TO_1' : lo === 0 && hi === Infinity ? 'RELU' : undefined;
    if (named) return void ctx.em.op(named, [x], ctx.output(0, perm));
  }
  const shape = permutedShape(ctx.shape(0), perm);
  const dtype = x.type?.kind === 'tensor' ? x.type.dtype : 'float32';
  const boundValue = (b: number | Value, name: string): Value | undefined => {
    if (typeof b !== 'number') return b;
    if (!Number.isFinite(b)) return undefined;
    return dtype === 'float32' ? scalar(ctx, b, name) : ctx.em.constant(`${ctx.base}_${name}`, dtype, [], integerBytes(dtype, b));
  };
  const low = boundValue(lo, 'min');
  const high = boundValue(hi, 'max');
  // quantized data is clipped as stored: the bounds are in its units and the result keeps its quantization
  const keep = (v: Value): Value => {
    if (x.quantization) v.quantization = x.quantization;
    return v;
  };
  let y = x;
  if (low) y = ctx.em.op('MAXIMUM', [y, low], keep(high ? ctx.em.value(`${ctx.base}_lo`, shape, dtype) : ctx.output(0, perm)));
  if (high) y = ctx.em.op('MINIMUM', [y, high], keep(ctx.output(0, perm)));
  if (!low && !high) ctx.alias(0, y, perm);
}

/** One integer of a TFLite integer type, as stored. */
function integerBytes(dtype: string, value: number): Uint8Array {
  if (dtype === 'int8') return new Uint8Array(new Int8Array([value]).buffer);
  if (dtype === 'uint8') return new Uint8Array([value]);
  if (dtype === 'int16') return new Uint8Array(new Int16Array([value]).buffer);
  return new Uint8Array(new Int32Array([value]).buffer);
}

/** HardSigmoid: max(0, min(1, alpha·x + beta)). */
function hardSigmoid(ctx: OnnxOpContext): void {
  const alpha = ctx.node.float('alpha', 0.2);
  const beta = ctx.node.float('beta', 0.5);
  const perm = ctx.layout(0);
  const shape = permutedShape(ctx.shape(0), perm);
  const scaled = ctx.em.op('MUL', [ctx.inputIn(0, perm), scalar(ctx, alpha, 'alpha')], ctx.em.value(`${ctx.base}_ax`, shape));
  const shifted = ctx.em.op('ADD', [scaled, scalar(ctx, beta, 'beta')], ctx.em.value(`${ctx.base}_axb`, shape));
  const low = ctx.em.op('MAXIMUM', [shifted, scalar(ctx, 0, 'zero')], ctx.em.value(`${ctx.base}_lo`, shape));
  ctx.em.op('MINIMUM', [low, scalar(ctx, 1, 'one')], ctx.output(0, perm));
}

function cast(ctx: OnnxOpContext): void {
  const perm = ctx.layout(0);
  const x = ctx.inputIn(0, perm);
  const out = ctx.output(0, perm);
  const from = x.type?.kind === 'tensor' ? x.type.dtype : undefined;
  const to = out.type?.kind === 'tensor' ? out.type.dtype : undefined;
  if (from === to) {
    ctx.alias(0, x, perm);
    return;
  }
  ctx.em.op('CAST', [x], out);
}

function prelu(ctx: OnnxOpContext): void {
  const perm = ctx.layout(0);
  const slope = ctx.constant(1);
  if (slope && constantNumbers(slope).every((v, _, all) => v === all[0])) {
    const alpha = constantNumbers(slope)[0] ?? 0;
    ctx.em.op('LEAKY_RELU', [ctx.inputIn(0, perm)], ctx.output(0, perm), { alpha });
    return;
  }
  ctx.em.op('PRELU', [ctx.inputIn(0, perm), operand(ctx, 1, perm)], ctx.output(0, perm));
}

function softplus(ctx: OnnxOpContext): void {
  const perm = ctx.layout(0);
  const shape = permutedShape(ctx.shape(0), perm);
  const e = ctx.em.op('EXP', [ctx.inputIn(0, perm)], ctx.em.value(`${ctx.base}_exp`, shape));
  const plus = ctx.em.op('ADD', [e, scalar(ctx, 1, 'one')], ctx.em.value(`${ctx.base}_p1`, shape));
  ctx.em.op('LOG', [plus], ctx.output(0, perm));
}

function reciprocal(ctx: OnnxOpContext): void {
  const perm = ctx.layout(0);
  ctx.em.op('DIV', [scalar(ctx, 1, 'one'), ctx.inputIn(0, perm)], ctx.output(0, perm));
}

function where(ctx: OnnxOpContext): void {
  const perm = sharedLayout(ctx, [0, 1, 2]);
  ctx.em.op('SELECT_V2', [operand(ctx, 0, perm), operand(ctx, 1, perm), operand(ctx, 2, perm)], ctx.output(0, perm));
}

function identity(ctx: OnnxOpContext): void {
  const perm = ctx.layout(0);
  ctx.alias(0, ctx.inputIn(0, perm), perm);
}

function mean(ctx: OnnxOpContext): void {
  const count = ctx.node.inputs.length;
  if (count === 1) return identity(ctx);
  const perm = sharedLayout(
    ctx,
    Array.from({ length: count }, (_, i) => i),
  );
  const shape = permutedShape(ctx.outShape(0), perm);
  let acc = operand(ctx, 0, perm);
  for (let i = 1; i < count; i++) acc = ctx.em.op('ADD', [acc, operand(ctx, i, perm)], ctx.em.value(`${ctx.base}_sum${i}`, shape));
  ctx.em.op('MUL', [acc, scalar(ctx, 1 / count, 'n')], ctx.output(0, perm));
}

function erfRefused(): never {
  return cannot('TFLite has no error-function (Erf) operator');
}

/** Mod with fmod = 0 (the result takes the divisor's sign, as Python's %) is TFLite's FLOOR_MOD; C's fmod has no TFLite op. */
const mod: OnnxConverter = (ctx) => {
  if (ctx.node.int('fmod', 0) !== 0) cannot('Mod with fmod = 1 (the sign of the dividend) has no TFLite equivalent');
  elementwise('FLOOR_MOD')(ctx);
};

/** Converters for elementwise arithmetic, comparisons, logic and activations. */
export const ELEMENTWISE_CONVERTERS: Record<string, OnnxConverter> = {
  Add: elementwise('ADD'),
  Sub: elementwise('SUB'),
  Mul: elementwise('MUL'),
  Div: elementwise('DIV'),
  Mod: mod,
  Pow: pow,
  Max: variadic('MAXIMUM'),
  Min: variadic('MINIMUM'),
  Sum: variadic('ADD'),
  Mean: mean,
  Equal: elementwise('EQUAL'),
  Greater: elementwise('GREATER'),
  GreaterOrEqual: elementwise('GREATER_EQUAL'),
  Less: elementwise('LESS'),
  LessOrEqual: elementwise('LESS_EQUAL'),
  And: elementwise('LOGICAL_AND'),
  Or: elementwise('LOGICAL_OR'),
  Xor: elementwise('NOT_EQUAL'),
  Not: unary('LOGICAL_NOT'),
  Where: where,
  Relu: unary('RELU'),
  Sigmoid: unary('LOGISTIC'),
  Tanh: unary('TANH'),
  Exp: unary('EXP'),
  Log: unary('LOG'),
  Sqrt: unary('SQRT'),
  Abs: unary('ABS'),
  Neg: unary('NEG'),
  Floor: unary('FLOOR'),
  Ceil: unary('CEIL'),
  Round: unary('ROUND'),
  Sin: unary('SIN'),
  Cos: unary('COS'),
  Sign: unary('SIGN'),
  Elu: (ctx) => {
    if (ctx.node.float('alpha', 1) !== 1) cannot('ELU with alpha other than 1 has no TFLite equivalent');
    unary('ELU')(ctx);
  },
  HardSwish: unary('HARD_SWISH'),
  HardSigmoid: hardSigmoid,
  LeakyRelu: unary('LEAKY_RELU', (ctx) => ({ alpha: ctx.node.float('alpha', 0.01) })),
  PRelu: prelu,
  Softplus: softplus,
  Reciprocal: reciprocal,
  Gelu: unary('GELU', (ctx) => ({ approximate: ctx.node.string('approximate', 'none') === 'tanh' })),
  Clip: clip,
  Cast: cast,
  Identity: identity,
  Dropout: identity,
  Erf: erfRefused,
};
