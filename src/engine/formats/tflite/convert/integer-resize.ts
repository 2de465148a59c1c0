// TFLite's int8 RESIZE_BILINEAR interpolates the stored integers, not the real values, in fixed point, and
// which kernel runs decides the weights and the rounding:
//   XNNPACK (input and output share scale and zero point): source position p = o·scale (+ scale/2 − 1/2 with
//     half_pixel_centers, clamped) in float32, weight α = lrint((p − ⌊p⌋)·2¹¹); y = ⌊(acc + 2²¹) / 2²²⌋
//   TFLite's reference kernel (otherwise): integer scale ⌊(2¹⁰·in + ⌊out/2⌋) / out⌋, weights on a 1/1024 grid;
//     y = (acc ± 2¹⁹) ÷ 2²⁰ truncated (halves away from zero); the scales of both tensors are ignored
// with acc = Σ q[lo|hi, lo|hi] · w_y · w_x exact in int32 (align_corners: in − 1 and out − 1 for the scale).
// Computed in float between DequantizeLinear and QuantizeLinear (halves to even, exact weights), about one
// value in ten lands one step off. Emitted as int32 Gather/Mul/Add along H, then W (NHWC as stored), then the
// rounding shift as for ADD, so it converts back to TFLite as it is.
import type { Value } from '../../../ir/value';
import { floorShift } from './ops-integer';
import type { OpContext } from './op-context';

const ONE = 1 << 10;

/** Source rows (`lo`, `hi`) and integer weights (`wLo` + `wHi` = 2^bits) for each output position along one axis. */
export interface InterpolationTable {
  lo: number[];
  hi: number[];
  wLo: number[];
  wHi: number[];
}

/** The table of TFLite's reference kernel: weights on a 1/1024 grid, from an integer scale. */
export function interpolationTable(inSize: number, outSize: number, alignCorners: boolean, halfPixel: boolean): InterpolationTable {
  const aligned = alignCorners && outSize > 1;
  const [num, den] = aligned ? [inSize - 1, outSize - 1] : [inSize, outSize];
  const scale = Math.trunc((ONE * num + Math.trunc(den / 2)) / den);
  const table: InterpolationTable = { lo: [], hi: [], wLo: [], wHi: [] };
  for (let o = 0; o < outSize; o++) {
    const s = halfPixel ? o * scale + Math.trunc(scale / 2) - ONE / 2 : o * scale;
    // C's division truncates toward zero; a negative s (first half-pixel rows) gives lo = hi = 0
    const lo = Math.min(Math.max(Math.trunc(s / ONE), 0), inSize - 1);
    const hi = Math.min(Math.trunc((s + ONE - 1) / ONE), inSize - 1);
    const d = s - ONE * lo;
    table.lo.push(lo);
    table.hi.push(Math.max(hi, 0));
    table.wLo.push(ONE - d);
    table.wHi.push(d);
  }
  return table;
}

/** Round half to even, as lrintf does. */
const lrint = (x: number): number => {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
};

/** The table of XNNPACK's kernel: float32 source positions, weights rounded to 1/2048 (its indirection setup). */
export function xnnpackTable(inSize: number, outSize: number, alignCorners: boolean, halfPixel: boolean): InterpolationTable {
  const f = Math.fround;
  const adjust = alignCorners && outSize !== 1 ? 1 : 0;
  const scale = f(f(inSize - adjust) / f(outSize - adjust));
  const offset = halfPixel && !alignCorners ? f(f(0.5 * scale) - 0.5) : 0;
  const table: InterpolationTable = { lo: [], hi: [], wLo: [], wHi: [] };
  for (let o = 0; o < outSize; o++) {
    let at = f(f(o * scale) + offset);
    if (offset !== 0) at = Math.min(Math.max(at, 0), inSize - 1);
    const lo = Math.trunc(at);
    const alpha = lrint(f(f(at - lo) * 2048));
    table.lo.push(lo);
    table.hi.push(Math.min(lo + 1, inSize - 1));
    table.wLo.push(2048 - alpha);
    table.wHi.push(alpha);
  }
  return table;
}

/**
 * int8 RESIZE_BILINEAR [n, h, w, c] → [n, height, width, c] on the stored integers as TFLite's kernel computes it;
 * false (nothing emitted) unless input and output are int8.
 */
export function integerResizeBilinear(ctx: OpContext, height: number, width: number, alignCorners: boolean, halfPixel: boolean): boolean {
  const { em, base } = ctx;
  const [x, y] = [ctx.facts(0), ctx.outFacts(0)];
  if (x.dtype !== 'int8' || y.dtype !== 'int8' || !x.quantization || !y.quantization || x.shape.length !== 4) return false;
  const [, inH, inW] = x.shape as [number, number, number, number];
  const int32 = (n: number): Value => em.int32([n], []);
  // XNNPACK runs the op when both tensors share scale and zero point; TFLite's own kernel otherwise
  const [qx, qy] = [x.quantization, y.quantization];
  const xnnpack = qx.scale[0] === qy.scale[0] && qx.zeroPoint[0] === qy.zeroPoint[0];
  const table = xnnpack ? xnnpackTable : interpolationTable;
  const shift = xnnpack ? 22 : 20;
  const along = (v: Value, axis: 1 | 2, inSize: number, outSize: number): Value => {
    const t = table(inSize, outSize, alignCorners, halfPixel);
    const dims = axis === 1 ? [1, outSize, 1, 1] : [1, 1, outSize, 1];
    const term = (rows: number[], weights: number[], tag: string): Value =>
      em.op('Mul', [em.op('Gather', [v, em.int64(rows)], { axis }, `${base}_g${tag}`), em.int32(weights, dims)], {}, `${base}_w${tag}`);
    const tag = axis === 1 ? 'y' : 'x';
    return em.op('Add', [term(t.lo, t.wLo, `${tag}0`), term(t.hi, t.wHi, `${tag}1`)], {}, `${base}_${tag}`);
  };
  const stored = em.op('Cast', [ctx.raw(0)], { to: 6 }, `${base}_i32`);
  const acc = along(along(stored, 1, inH, height), 2, inW, width);
  // XNNPACK: ⌊(acc + 2²¹) / 2²²⌋ (halves up). Reference: (acc ± 2¹⁹) ÷ 2²⁰ truncated toward zero (halves away
  // from zero) = ⌊(acc + 2¹⁹ − [acc < 0]) / 2²⁰⌋, with [acc < 0] = min(max(−acc, 0), 1)
  let half = em.op('Add', [acc, int32(2 ** (shift - 1))], {}, `${base}_half`);
  if (!xnnpack) {
    const positive = em.op('Max', [em.op('Sub', [int32(0), acc], {}, `${base}_neg`), int32(0)], {}, `${base}_pos`);
    half = em.op('Sub', [half, em.op('Min', [positive, int32(1)], {}, `${base}_sgn`)], {}, `${base}_away`);
  }
  ctx.setStored(0, em.op('Cast', [floorShift(ctx, half, shift)], { to: 3 }, base));
  return true;
}
