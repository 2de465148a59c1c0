import type { Tensor } from '../../ir/tensor';
import { toHalfBits } from '../../util/half-float';
import { halfToFloatBits } from '../decoder/codebook';

/** True for the element types whose weights pruning and clustering edit. */
export function isEditableFloat(t: Tensor): boolean {
  return t.dtype === 'float32' || t.dtype === 'float16';
}

/** A float32 copy of a float32 or float16 tensor's values. */
export function readFloats(t: Tensor): Float32Array {
  const raw = t.toTypedArray();
  if (t.dtype === 'float32') return Float32Array.from(raw as Float32Array);
  const halves = raw as Uint16Array;
  const bits = new Uint32Array(halves.length);
  for (let i = 0; i < halves.length; i++) bits[i] = halfToFloatBits(halves[i] as number);
  return new Float32Array(bits.buffer);
}

/** Replaces a float32 or float16 tensor's values (float16: rounded to nearest). */
export function writeFloats(t: Tensor, values: Float32Array): void {
  if (t.dtype === 'float32') {
    t.setBytes(new Uint8Array(values.buffer.slice(values.byteOffset, values.byteOffset + values.byteLength)));
    return;
  }
  const halves = Uint16Array.from(values, (v) => toHalfBits(v));
  t.setBytes(new Uint8Array(halves.buffer));
}

/** `value` rounded to the nearest float16, as a float32. */
export function roundToHalf(value: number): number {
  const bits = new Uint32Array([halfToFloatBits(toHalfBits(value))]);
  return new Float32Array(bits.buffer)[0] as number;
}
