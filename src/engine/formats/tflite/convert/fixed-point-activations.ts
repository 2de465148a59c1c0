// gemmlowp's int16 fixed-point logistic and tanh, which TFLite's integer LSTM applies to its gates
// (ApplySigmoid, ApplyTanh): a value with k integer bits is raw / 2^(15−k). Both are built from
//   exp(x) for x < 0:  exp on [−¼, 0) by a Taylor polynomial around −⅛, times exp(−¼), exp(−½), exp(−1), …
//                      for each bit of the part below −¼ (a barrel shifter), 0 below −32
//   1/(1+x), (1−x)/(1+x) for x in (0, 1):  three Newton–Raphson steps from 48/17 − 32/17·x
//   logistic(x) = 1/(1 + exp(−|x|)) mirrored for x < 0;  tanh(x) = (1 − exp(−2|x|)) / (1 + exp(−2|x|)) with x's sign
// with every product a rounding doubling high multiply, so the results differ from the real functions in
// the last bits. The tables hold the 65536 results, indexed by raw + 32768, for ONNX to look up.
import { int16, roundingDivideByPot, roundingHighMul16 as mul, saturate16 } from './fixed-point';

const add = (a: number, b: number): number => int16(a + b);
const sub = (a: number, b: number): number => int16(a - b);
/** gemmlowp's 32-bit constants narrowed to int16. */
const constant = (raw32: number): number => roundingDivideByPot(raw32, 16);
/** 1 with 0 integer bits (the largest value) or with `k`. */
const one = (k: number): number => (k === 0 ? 32767 : 1 << (15 - k));

/** x · 2^e: saturating for e > 0, rounding for e < 0. */
function mulByPot(x: number, e: number): number {
  if (e < 0) return roundingDivideByPot(x, -e);
  if (e === 0) return x;
  const threshold = (1 << (15 - e)) - 1;
  return x > threshold ? 32767 : x < -threshold ? -32768 : int16(x * 2 ** e);
}

function roundingHalfSum(a: number, b: number): number {
  const sum = a + b;
  return int16(Math.trunc((sum + (sum >= 0 ? 1 : -1)) / 2));
}

/** exp(a) for a in [−¼, 0), 0 integer bits. */
function expNearZero(a: number): number {
  const base = constant(1895147668); // exp(−⅛)
  const third = constant(715827883);
  const x = add(a, 1 << 12);
  const x2 = mul(x, x);
  const x3 = mul(x2, x);
  const x4 = mul(x2, x2);
  const rest = mulByPot(add(mul(add(mulByPot(x4, -2), x3), third), x2), -1);
  return saturate16(base + mul(base, add(x, rest)));
}

// exp(−2^e) for the barrel shifter, as gemmlowp's 32-bit constants
const EXP_STEPS: [exponent: number, raw32: number][] = [
  [-2, 1672461947],
  [-1, 1302514674],
  [0, 790015084],
  [1, 290630308],
  [2, 39332535],
  [3, 720401],
  [4, 242],
];

/** exp(a) for a ≤ 0 with `k` integer bits; the result has 0 integer bits. */
function expNegative(a: number, k: number): number {
  const fraction = 15 - k;
  const quarter = 1 << (fraction - 2);
  const modQuarter = sub(a & (quarter - 1), quarter);
  let result = expNearZero(mulByPot(modQuarter, k));
  const remainder = sub(modQuarter, a);
  for (const [e, raw] of EXP_STEPS) if (k > e && remainder & (1 << (fraction + e))) result = mul(result, constant(raw));
  if (k > 5 && a < constant(-(2 ** (36 - k)))) result = 0;
  return a === 0 ? one(0) : result;
}

/** Newton–Raphson 1/(1 + a) · 2 (2 integer bits) for a in (0, 1). */
function halfReciprocal(a: number): { x: number; half: number } {
  const half = roundingHalfSum(a, one(0));
  let x = add(constant(1515870810), mul(half, constant(-1010580540)));
  for (let i = 0; i < 3; i++) x = add(x, mulByPot(mul(x, sub(one(2), mul(half, x))), 2));
  return { x, half };
}

/** logistic of `raw` with `k` integer bits, as int16 with 0 integer bits. */
export function fixedLogistic(raw: number, k: number): number {
  const positive = raw > 0;
  const abs = positive ? raw : int16(-raw);
  const ifPositive = mulByPot(halfReciprocal(expNegative(int16(-abs), k)).x, 1);
  if (raw === 0) return constant(1 << 30);
  return positive ? ifPositive : sub(one(0), ifPositive);
}

/** tanh of `raw` with `k` integer bits, as int16 with 0 integer bits. */
export function fixedTanh(raw: number, k: number): number {
  const negative = raw < 0;
  const n = negative ? raw : int16(-raw);
  // exp(2n): the same raw value read with one more integer bit
  const t = mulByPot(sub(halfReciprocal(expNegative(n, k + 1)).x, one(2)), 2);
  if (raw === 0) return 0;
  return negative ? int16(-t) : t;
}

/** `f` at every int16 raw value, indexed by raw + 32768. */
export function int16Table(f: (raw: number) => number): Int16Array {
  const table = new Int16Array(65536);
  for (let raw = -32768; raw < 32768; raw++) table[raw + 32768] = f(raw);
  return table;
}
