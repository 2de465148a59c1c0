// TFLite's integer LSTM (int8 input and weights, int16 cell state) writes its hidden state as
//   raw = round(o·tanh(c) / s₄) − z₄            (s₄, z₄: the op's fifth intermediate tensor)
// — the zero point is subtracted, not added — and stores that raw value in the hidden-state and
// output tensors, which are read with their own (s, z). So the hidden value every reader sees is
//   h' = a·h − b,   a = s / s₄,   b = (z₄ + z)·s
// instead of the h an ONNX LSTM computes. One ONNX LSTM reproduces it exactly in real numbers:
//   output:     Y' = a·Y − b
//   recurrence: R·h'ₜ₋₁ = (a·R)·hₜ₋₁ − b·R·1   → R scaled by a, b·(row sums of R) off the recurrent bias
//   start:      the state before the first step is h₀ = (h'₀ + b) / a, h'₀ = 0 unless the state is exposed
// (a = 1 and b = 0 when the zero point is 0; then nothing changes.)
import type { Value } from '../../../ir/value';
import { tfliteRecord, type TfliteNodeRecord } from '../ir-records';
import { tensorFacts, type OpContext } from './op-context';

/** The affine map h ↦ a·h − b from an ONNX LSTM's hidden state to the one TFLite's integer LSTM keeps. */
export interface HiddenOffset {
  a: number;
  b: number;
}

/** The offset of an integer LSTM's hidden state (undefined for float and hybrid LSTMs, and when it is the identity). */
export function hiddenOffset(ctx: OpContext): HiddenOffset | undefined {
  const out = ctx.outFacts(0).quantization;
  if (ctx.facts(0).dtype !== 'int8' || !ctx.has(19) || ctx.facts(19).dtype !== 'int16' || !out) return undefined;
  const hidden = tfliteRecord<TfliteNodeRecord>(ctx.node.extras)?.intermediates?.[4];
  const q = (hidden && tensorFacts(hidden).quantization) || out;
  const a = out.scale[0] / q.scale[0];
  const b = (q.zeroPoint[0] + out.zeroPoint[0]) * out.scale[0];
  return a === 1 && b === 0 ? undefined : { a, b };
}

/** `a·x − b`. */
export function toTfliteHidden(ctx: OpContext, offset: HiddenOffset, x: Value, name: string): Value {
  const { em, base } = ctx;
  const scaled = offset.a === 1 ? x : em.op('Mul', [x, em.float32([offset.a], [])], {}, `${base}_${name}_a`);
  return em.op('Sub', [scaled, em.float32([offset.b], [])], {}, `${base}_${name}_off`);
}

/** The ONNX LSTM's initial hidden state [1, batch, hidden] for TFLite's `h'₀` (zero when `state` is undefined). */
export function initialHidden(ctx: OpContext, offset: HiddenOffset, state: Value | undefined, batch: number, hidden: number): Value {
  const { em, base } = ctx;
  if (!state) return em.float32(new Array<number>(batch * hidden).fill(offset.b / offset.a), [1, batch, hidden]);
  const shifted = em.op('Add', [state, em.float32([offset.b], [])], {}, `${base}_h0_off`);
  return offset.a === 1 ? shifted : em.op('Div', [shifted, em.float32([offset.a], [])], {}, `${base}_h0_a`);
}

/** R scaled by a, and B with b·(row sums of R) taken off its recurrent half (ONNX B = [Wb, Rb], each 4·hidden). */
export function offsetRecurrence(ctx: OpContext, offset: HiddenOffset, R: Value, B: Value, rows: number): { R: Value; B: Value } {
  const { em, base } = ctx;
  const sums = em.op('ReduceSum', [R, em.int64([2])], { keepdims: 0 }, `${base}_rsum`);
  const off = em.op('Mul', [sums, em.float32([-offset.b], [])], {}, `${base}_rb`);
  const recurrentBias = em.op('Concat', [em.float32(new Array<number>(rows).fill(0), [1, rows]), off], { axis: 1 }, `${base}_rb_full`);
  return {
    R: offset.a === 1 ? R : em.op('Mul', [R, em.float32([offset.a], [])], {}, `${base}_R_a`),
    B: em.op('Add', [B, recurrentBias], {}, `${base}_B_off`),
  };
}
