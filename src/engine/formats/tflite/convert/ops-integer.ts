// TFLite int8/uint8 convolutions and fully connected layers → ONNX integer kernels, so the ONNX model
// computes what TFLite's integer kernels compute instead of the same thing in float:
//   CONV_2D / DEPTHWISE_CONV_2D(x:q, w:q, b:int32)   ⇒   QLinearConv(x, sx, zx, w, sw, zw, sy, zy, b) [→ Clip]
//   FULLY_CONNECTED(x:q, w:q, b:int32)               ⇒   the same QLinearConv, 1×1 over x as [N, K, 1, 1]
// QLinearConv requantizes as TFLite's XNNPACK kernels do: y = clamp(round_half_even(float(acc) · m) + zy),
// m = float32(sx · sw[c] / sy), acc the exact int32 sum. Computed in float, the same layer rounds
// values near a half step the other way now and then, and the difference grows layer by layer.
//   ADD / SUB(a:q, b:q)                              ⇒   XNNPACK's fixed-point sum in int32 (every value below 2³¹):
//     y = clamp(⌊((a − za)·ma ± (b − zb)·mb + 2^(s−1)) / 2^s⌋ + zy),  s = 20 − exponent(max(sa/sy, sb/sy)),
//     ma = round_half_even(float32(sa/sy) · 2^s), likewise mb
// Fused activations clamp the quantized result to the quantized bounds (ReLU: [zy, qmax]).
import type { DType } from '../../../ir/dtype';
import type { Value } from '../../../ir/value';
import { TO_NCHW, TO_NHWC, transpose } from './layout';
import type { AttrInput } from './onnx-emitter';
import { cannot, shapeOfRank, type OpContext, type TensorFacts } from './op-context';

const RANGE: Partial<Record<DType, [number, number]>> = { int8: [-128, 127], uint8: [0, 255] };

/** True when the op reads and writes per-tensor int8/uint8 data with quantized weights along `weightAxis` and an int32 bias. */
export function runsOnIntegers(ctx: OpContext, weightAxis: number): boolean {
  const x = ctx.facts(0);
  const w = ctx.facts(1);
  const y = ctx.outFacts(0);
  const perTensor = (f: TensorFacts): boolean =>
    f.quantization !== null && f.quantization.scale.length === 1 && RANGE[f.dtype] !== undefined;
  if (!perTensor(x) || !perTensor(y) || x.dtype !== y.dtype || w.dtype !== x.dtype || !ctx.constant(1)) return false;
  const wq = w.quantization;
  if (!wq || (wq.scale.length > 1 && wq.axis !== weightAxis) || wq.zeroPoint.some((z) => z !== wq.zeroPoint[0])) return false;
  if (ctx.has(2) && (ctx.facts(2).dtype !== 'int32' || !ctx.constant(2))) return false;
  return true;
}

/** The quantized bounds of a fused activation on output `y` (TFLite's CalculateActivationRangeQuantized). */
export function activationRange(fused: number, y: TensorFacts): [number, number] | undefined {
  const [low, high] = RANGE[y.dtype] ?? [0, 0];
  const q = y.quantization;
  if (!q) return undefined;
  const at = (real: number): number => q.zeroPoint[0] + Math.round(real / q.scale[0]);
  const bounds: Record<number, [number, number]> = {
    0: [low, high],
    1: [Math.max(low, at(0)), high],
    2: [Math.max(low, at(-1)), Math.min(high, at(1))],
    3: [Math.max(low, at(0)), Math.min(high, at(6))],
  };
  return bounds[fused];
}

function scalars(ctx: OpContext, f: TensorFacts): [Value, Value] {
  const q = f.quantization ?? cannot('a quantized kernel needs quantized data');
  const perAxis = q.scale.length > 1;
  return [
    ctx.em.float32(q.scale, perAxis ? [q.scale.length] : []),
    ctx.zeroPoint(f.dtype, perAxis ? q.zeroPoint : q.zeroPoint.slice(0, 1)),
  ];
}

function clampStored(ctx: OpContext, value: Value, range: [number, number], dtype: DType): Value {
  const [low, high] = RANGE[dtype] ?? range;
  if (range[0] === low && range[1] === high) return value;
  const bound = (n: number): Value => ctx.zeroPoint(dtype, [n]);
  return ctx.em.op('Clip', [value, bound(range[0]), bound(range[1])], {}, `${ctx.base}_act`);
}

/**
 * Quantized CONV_2D / DEPTHWISE_CONV_2D as QLinearConv with the op's ONNX Conv `attrs`, the filter
 * moved to ONNX's layout by `filterPerm` (call when {@link runsOnIntegers}; false for an activation it cannot clamp).
 */
export function integerConv(ctx: OpContext, attrs: Record<string, AttrInput>, filterPerm: number[]): boolean {
  const { em, base } = ctx;
  const range = activationRange(ctx.attr('fused_activation_function', 0), ctx.outFacts(0));
  if (!range) return false;
  const x = transpose(em, ctx.raw(0), TO_NCHW, `${base}_in`);
  const weights = transpose(em, ctx.raw(1), filterPerm, `${base}_w`);
  const quantized = [x, ...scalars(ctx, ctx.facts(0)), weights, ...scalars(ctx, ctx.facts(1)), ...scalars(ctx, ctx.outFacts(0))];
  const y = em.op('QLinearConv', [...quantized, ctx.has(2) ? ctx.raw(2) : undefined], attrs, `${base}_nchw`);
  ctx.setStored(0, transpose(em, clampStored(ctx, y, range, ctx.outFacts(0).dtype), TO_NHWC, base));
  return true;
}

/** Quantized FULLY_CONNECTED as a 1×1 QLinearConv over [N, K, 1, 1] (call when {@link runsOnIntegers}). */
export function integerFullyConnected(ctx: OpContext): boolean {
  const { em, base } = ctx;
  const out = ctx.outFacts(0);
  const range = activationRange(ctx.attr('fused_activation_function', 0), out);
  if (!range) return false;
  const [outer, inner] = shapeOfRank(ctx.facts(1).shape, 2, 'the weights must be 2-D');
  const flat = em.op('Reshape', [ctx.raw(0), em.int64([-1, inner, 1, 1])], {}, `${base}_flat`);
  const w = ctx.constant(1) ?? cannot('the weights must be a constant');
  const weights = em.constant(`${base}_w`, w.dtype, [outer, inner, 1, 1], w.bytes());
  const y = em.op(
    'QLinearConv',
    [
      flat,
      ...scalars(ctx, ctx.facts(0)),
      weights,
      ...scalars(ctx, ctx.facts(1)),
      ...scalars(ctx, out),
      ctx.has(2) ? ctx.raw(2) : undefined,
    ],
    { kernel_shape: [1, 1] },
    `${base}_conv`,
  );
  ctx.setStored(0, em.op('Reshape', [clampStored(ctx, y, range, out.dtype), em.int64(out.shape)], {}, base));
  return true;
}

const float32Bits = (x: number): number => {
  const view = new DataView(new ArrayBuffer(4));
  view.setFloat32(0, x);
  return view.getUint32(0);
};

/** Round half to even, as lrintf does. */
const roundHalfEven = (x: number): number => {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
};

/** ⌊`value` / 2^`shift`⌋ of an int32 value, exact for negative values too. */
export function floorShift(ctx: OpContext, value: Value, shift: number): Value {
  const { em, base } = ctx;
  // (v − v mod 2^s) / 2^s, the mod taking the divisor's sign (fmod 0), so the Div is exact
  const remainder = em.op('Mod', [value, em.int32([2 ** shift], [])], {}, `${base}_rem`);
  return em.op('Div', [em.op('Sub', [value, remainder], {}, `${base}_down`), em.int32([2 ** shift], [])], {}, `${base}_shift`);
}

/** Quantized ADD (`sign` 1) or SUB (−1) of two per-tensor int8/uint8 tensors, as XNNPACK computes it; false when its parameters fall outside XNNPACK's range. */
export function integerAdd(ctx: OpContext, sign: 1 | -1): boolean {
  const { em, base } = ctx;
  const [a, b, y] = [ctx.facts(0), ctx.facts(1), ctx.outFacts(0)];
  const perTensor = (f: TensorFacts): boolean => f.quantization?.scale.length === 1 && RANGE[f.dtype] !== undefined;
  if (!perTensor(a) || !perTensor(b) || !perTensor(y) || a.dtype !== y.dtype || b.dtype !== y.dtype) return false;
  const [qa, qb, qy] = [a.quantization, b.quantization, y.quantization];
  const range = activationRange(ctx.attr('fused_activation_function', 0), y);
  if (!qa || !qb || !qy || !range) return false;
  const aScale = Math.fround(Math.fround(qa.scale[0]) / Math.fround(qy.scale[0]));
  const bScale = Math.fround(Math.fround(qb.scale[0]) / Math.fround(qy.scale[0]));
  const inRange = (r: number): boolean => r >= 2 ** -10 && r < 2 ** 8;
  if (!inRange(aScale) || !inRange(bScale)) return false;
  const shift = 20 - ((float32Bits(Math.max(aScale, bScale)) >>> 23) - 127);
  const multiplier = (r: number): number => roundHalfEven(Math.fround(r * 2 ** shift));
  const int32 = (n: number): Value => em.int32([n], []);
  const term = (i: number, zero: number, m: number): Value => {
    const x = em.op('Cast', [ctx.raw(i)], { to: 6 }, `${base}_in${i}`);
    return em.op('Mul', [em.op('Sub', [x, int32(zero)], {}, `${base}_c${i}`), int32(m)], {}, `${base}_m${i}`);
  };
  const terms = [term(0, qa.zeroPoint[0], multiplier(aScale)), term(1, qb.zeroPoint[0], multiplier(bScale))];
  const half = em.op('Add', [em.op(sign > 0 ? 'Add' : 'Sub', terms, {}, `${base}_acc`), int32(2 ** (shift - 1))], {}, `${base}_half`);
  const rounded = floorShift(ctx, half, shift);
  const shifted = em.op('Add', [rounded, int32(qy.zeroPoint[0])], {}, `${base}_zp`);
  const clipped = em.op('Min', [em.op('Max', [shifted, int32(range[0])], {}, `${base}_low`), int32(range[1])], {}, `${base}_clip`);
  ctx.setStored(0, em.op('Cast', [clipped], { to: y.dtype === 'int8' ? 3 : 2 }, base));
  return true;
}
