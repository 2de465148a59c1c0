// TFLite's int8 HARD_SWISH is fixed-point arithmetic on int16 (reference_ops::HardSwish with the parameters
// of HardSwishPrepare), not round(x·relu6(x + 3)/6 / s_y) + z_y: it lands one step off the float formula on
// some inputs, and the difference grows through the layers after it. Its output depends on the int8 input
// alone, so the converter computes the kernel's 256 results here and the ONNX model looks them up (Gather).
import {
  INT16_MAX,
  INT16_MIN,
  int16,
  quantizeMultiplier,
  roundingDivideByPot,
  roundingHighMul16 as roundingHighMul,
  saturate16,
} from './fixed-point';
import type { OpContext } from './op-context';

/** TFLite's SaturatingDoublingHighMul on int16 (truncating toward zero). */
function highMul(a: number, b: number): number {
  if (a === INT16_MIN && b === INT16_MIN) return INT16_MAX;
  return int16(Math.trunc((a * b) / (1 << 15)));
}

/** TFLite's QuantizeMultiplier then DownScaleInt32ToInt16Multiplier: [int16 multiplier, exponent]. */
function int16Multiplier(m: number): [number, number] {
  const [fixed, exponent] = quantizeMultiplier(m);
  if (fixed >= 2 ** 31 - 1 - (1 << 15)) return [INT16_MAX, exponent];
  return [Math.floor((fixed + (1 << 15)) / 2 ** 16), exponent];
}

/** The 256 int8 results of TFLite's int8 HARD_SWISH, indexed by input + 128; undefined when TFLite would refuse the scales. */
export function hardSwishTable(inScale: number, inZero: number, outScale: number, outZero: number): Int8Array | undefined {
  const f = Math.fround;
  const hires = f(f(1 / 128) * f(inScale));
  const [outMul, outExp] = int16Multiplier(f(hires / f(outScale)));
  if (outExp > 0) return undefined;
  const [reluMul, reluExp] = int16Multiplier(f(hires / f(3 / 32768)));
  const table = new Int8Array(256);
  for (let q = -128; q < 128; q++) {
    const hiresValue = int16((q - inZero) * 128);
    const preshift = roundingHighMul(hiresValue, outMul);
    let reluish = hiresValue;
    if (reluExp > 0) reluish = saturate16(reluish * 2 ** (reluExp - 1));
    reluish = roundingHighMul(reluish, reluMul);
    if (reluExp > 0) reluish = saturate16(reluish * 2);
    if (reluExp < 0) reluish = roundingDivideByPot(reluish, -reluExp);
    reluish = (reluish + (1 << 15)) >> 1;
    const out = roundingDivideByPot(highMul(reluish, preshift), -outExp) + outZero;
    table[q + 128] = Math.min(Math.max(out, -128), 127);
  }
  return table;
}

/** int8 HARD_SWISH as a lookup of the kernel's results; false (nothing emitted) unless input and output are per-tensor int8. */
export function integerHardSwish(ctx: OpContext): boolean {
  const { em, base } = ctx;
  const [x, y] = [ctx.facts(0), ctx.outFacts(0)];
  const [qx, qy] = [x.quantization, y.quantization];
  if (x.dtype !== 'int8' || y.dtype !== 'int8' || !qx || !qy || qx.scale.length > 1 || qy.scale.length > 1) return false;
  const table = hardSwishTable(qx.scale[0], qx.zeroPoint[0], qy.scale[0], qy.zeroPoint[0]);
  if (!table) return false;
  const index = em.op('Add', [em.op('Cast', [ctx.raw(0)], { to: 6 }, `${base}_i32`), em.int32([128], [])], {}, `${base}_index`);
  const values = em.constant(`${base}_table`, 'int8', [256], new Uint8Array(table.buffer));
  ctx.setStored(0, em.op('Gather', [values, index], { axis: 0 }, base));
  return true;
}
