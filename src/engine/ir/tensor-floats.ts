import { halfToFloat } from '../util/half-float';
import type { Tensor } from './tensor';
import type { ValueQuantization } from './quantization';

/** bfloat16 bits → number (the upper half of a float32). */
function bfloatToFloat(bits: number): number {
  const f = new Float32Array(1);
  new Uint32Array(f.buffer)[0] = bits << 16;
  return f[0] ?? 0;
}

/**
 * The elements of a floating-point tensor as float32 (float32 itself, float64, float16, bfloat16),
 * or, with `quantization`, of an integer tensor dequantized (real = scale × (q − zeroPoint), per
 * channel along its axis). `undefined` for other element types.
 */
export function tensorFloats(t: Tensor, quantization?: ValueQuantization): Float32Array | undefined {
  switch (t.dtype) {
    case 'float32':
      return Float32Array.from(t.toTypedArray() as Float32Array);
    case 'float64':
      return Float32Array.from(t.toTypedArray() as Float64Array);
    case 'float16':
      return Float32Array.from(t.toTypedArray() as Uint16Array, halfToFloat);
    case 'bfloat16':
      return Float32Array.from(t.toTypedArray() as Uint16Array, bfloatToFloat);
    case 'int8':
    case 'uint8':
    case 'int16':
    case 'int32':
      return quantization ? dequantized(t, quantization) : undefined;
    default:
      return undefined;
  }
}

function dequantized(t: Tensor, q: ValueQuantization): Float32Array {
  const ints = t.toTypedArray() as Int8Array | Uint8Array | Int16Array | Int32Array;
  const channels = q.scale.length;
  const inner = channels > 1 ? t.dims.slice(q.axis + 1).reduce((a, b) => a * b, 1) : ints.length;
  return Float32Array.from(ints, (v, i) => {
    const c = channels > 1 ? Math.floor(i / inner) % channels : 0;
    return (q.scale[c] ?? 1) * (v - (q.zeroPoint[c] ?? q.zeroPoint[0] ?? 0));
  });
}
