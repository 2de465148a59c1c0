// ONNX element types TFLite lacks, narrowed the way TFLite's own converter does: int64 becomes int32
// (constants checked to fit), float64 becomes float32 and float16 is computed in float32.
import type { DType } from '../../../../ir/dtype';
import type { Tensor } from '../../../../ir/tensor';
import { cannot } from '../op-context';

const KEPT: ReadonlySet<DType> = new Set(['float32', 'int32', 'int16', 'int8', 'uint8', 'bool']);
const NARROWED: Partial<Record<DType, DType>> = {
  int64: 'int32',
  float64: 'float32',
  float16: 'float32',
  uint16: 'int32',
  uint32: 'int32',
};

/** The TFLite element type that carries an ONNX element type. */
export function tfliteDtype(dtype: DType): DType {
  if (KEPT.has(dtype)) return dtype;
  return NARROWED[dtype] ?? cannot(`element type ${dtype} has no TFLite equivalent`);
}

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

/** The data of an ONNX constant in its TFLite element type (int64 checked to fit int32). */
export function narrowedBytes(t: Tensor): { dtype: DType; bytes: Uint8Array } {
  const dtype = tfliteDtype(t.dtype);
  if (dtype === t.dtype) return { dtype, bytes: t.bytes() };
  if (dtype === 'int32') {
    const values = t.toTypedArray() as ArrayLike<number | bigint>;
    const out = new Int32Array(values.length);
    for (let i = 0; i < values.length; i++) {
      const v = Number(values[i]);
      if (v < INT32_MIN || v > INT32_MAX)
        cannot(`constant '${t.name}' holds ${String(values[i])}, which does not fit TFLite's 32-bit integers`);
      out[i] = v;
    }
    return { dtype, bytes: new Uint8Array(out.buffer) };
  }
  const floats =
    t.dtype === 'float16' ? halfsToFloats(t.toTypedArray() as Uint16Array) : Float32Array.from(t.toTypedArray() as Float64Array);
  return { dtype, bytes: new Uint8Array(floats.buffer) };
}

/** The elements of a numeric ONNX constant as numbers. */
export function constantNumbers(t: Tensor): number[] {
  if (t.dtype === 'float16') return Array.from(halfsToFloats(t.toTypedArray() as Uint16Array));
  if (t.dtype === 'bool') return Array.from(t.bytes(), (b) => (b ? 1 : 0));
  const data = t.toTypedArray() as ArrayLike<number | bigint>;
  return Array.from(data, Number);
}

function halfsToFloats(bits: Uint16Array): Float32Array {
  return Float32Array.from(bits, (h) => {
    const sign = h & 0x8000 ? -1 : 1;
    const exponent = (h >> 10) & 0x1f;
    const fraction = h & 0x3ff;
    if (exponent === 0) return sign * 2 ** -14 * (fraction / 1024);
    if (exponent === 31) return fraction ? NaN : sign * Infinity;
    return sign * 2 ** (exponent - 15) * (1 + fraction / 1024);
  });
}
