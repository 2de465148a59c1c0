// Integer arithmetic in ONNX ops on int64 values, as TFLite's integer kernels compute it:
//   floorDiv(n, d)         ⌊n / d⌋ for d > 0, as n − (n mod d) divided exactly (Mod takes the divisor's sign)
//   roundingShift(x, e)    gemmlowp's RoundingDivideByPOT: ⌊(x + 2^(e−1) − [x < 0]) / 2^e⌋, halves away from zero
//   rescale(x, m)          MultiplyByQuantizedMultiplier: ⌊(x·2^left·M + 2³⁰) / 2³¹⌋, then roundingShift(right)
// Per-column constants broadcast along the last axis.
import type { Value } from '../../../ir/value';
import type { OnnxEmitter } from './onnx-emitter';

/** ONNX TensorProto element type codes. */
export const ONNX_TYPE = { float32: 1, int8: 3, int16: 5, int32: 6, int64: 7 } as const;

/** Integer ONNX arithmetic on int64 values of one graph. */
export class IntegerOps {
  constructor(
    readonly em: OnnxEmitter,
    readonly base: string,
  ) {}

  op(type: string, inputs: Value[], name: string, attrs = {}): Value {
    return this.em.op(type, inputs, attrs, `${this.base}_${name}`);
  }

  ints(values: readonly number[]): Value {
    return values.length === 1 ? this.em.int64(values, []) : this.em.int64(values);
  }

  cast(x: Value, to: keyof typeof ONNX_TYPE, name: string): Value {
    return this.op('Cast', [x], name, { to: ONNX_TYPE[to] });
  }

  clip(x: Value, [low, high]: [number, number], name: string): Value {
    return this.op('Clip', [x, this.ints([low]), this.ints([high])], name);
  }

  /** ⌊n / d⌋ for d > 0 (Mod takes the divisor's sign, so n − n mod d divides exactly). */
  floorDiv(n: Value, d: readonly number[], name: string): Value {
    const divisor = this.ints(d);
    return this.op('Div', [this.op('Sub', [n, this.op('Mod', [n, divisor], `${name}_mod`)], `${name}_floor`), divisor], name);
  }

  /** gemmlowp's RoundingDivideByPOT: x / 2^e to nearest, halves away from zero (e per column, or one). */
  roundingShift(x: Value, e: readonly number[], name: string): Value {
    if (e.every((v) => v === 0)) return x;
    const half = this.ints(e.map((v) => (v > 0 ? 2 ** (v - 1) : 0)));
    const negative = this.cast(this.op('Less', [x, this.ints([0])], `${name}_neg`), 'int64', `${name}_negi`);
    const below = e.every((v) => v > 0) ? negative : this.op('Mul', [negative, this.ints(e.map((v) => (v > 0 ? 1 : 0)))], `${name}_adj`);
    const n = this.op('Sub', [this.op('Add', [x, half], `${name}_half`), below], `${name}_n`);
    return this.floorDiv(
      n,
      e.map((v) => 2 ** v),
      name,
    );
  }

  /** TFLite's MultiplyByQuantizedMultiplier: a Q31 rounding doubling high multiply, then a rounding right shift. */
  rescale(x: Value, multipliers: readonly [number, number][], name: string): Value {
    const left = multipliers.map(([, e]) => Math.max(e, 0));
    const shifted = left.some((v) => v > 0) ? this.op('Mul', [x, this.ints(left.map((v) => 2 ** v))], `${name}_left`) : x;
    const product = this.op('Mul', [shifted, this.ints(multipliers.map(([m]) => m))], `${name}_mul`);
    const high = this.floorDiv(this.op('Add', [product, this.ints([2 ** 30])], `${name}_nudge`), [2 ** 31], `${name}_high`);
    return this.roundingShift(
      high,
      multipliers.map(([, e]) => Math.max(-e, 0)),
      name,
    );
  }
}
