import { dtypeBits } from '../../../ir/dtype';
import type { Value } from '../../../ir/value';
import { permuteData, permuted } from './tflite-emitter';
import { cannot } from './op-context';
import type { OnnxEmitter } from './onnx-emitter';

/** Permutation taking TFLite's NHWC to ONNX's NCHW. */
export const TO_NCHW = [0, 3, 1, 2];
/** Permutation taking NCHW back to NHWC. */
export const TO_NHWC = [0, 2, 3, 1];

/** Emits a Transpose, or for a constant, the constant with its data already transposed. */
export function transpose(em: OnnxEmitter, value: Value, perm: number[], base: string): Value {
  const data = value.initializer;
  const size = data ? dtypeBits(data.dtype) / 8 : 0;
  if (data && Number.isInteger(size) && size > 0 && data.dims.length === perm.length) {
    return em.constant(`${value.name}_t`, data.dtype, permuted(data.dims, perm), permuteData(data.bytes(), data.dims, perm, size));
  }
  return em.op('Transpose', [value], { perm }, `${base}_t`);
}

/** Applies a TFLite fused activation (ActivationFunctionType) after `value`. */
export function fusedActivation(em: OnnxEmitter, value: Value, fused: number, base: string): Value {
  switch (fused) {
    case 0:
      return value;
    case 1:
      return em.op('Relu', [value], {}, `${base}_relu`);
    case 2:
      return em.op('Clip', [value, em.float32([-1], []), em.float32([1], [])], {}, `${base}_relu1`);
    case 3:
      return em.op('Clip', [value, em.float32([0], []), em.float32([6], [])], {}, `${base}_relu6`);
    case 4:
      return em.op('Tanh', [value], {}, `${base}_tanh`);
    default:
      return cannot(`fused activation ${fused} (SIGN_BIT) has no ONNX equivalent`);
  }
}

/** TensorFlow SAME padding for one spatial axis: [before, after] (the extra pixel goes after). */
export function samePadding(size: number, kernel: number, stride: number, dilation: number): [number, number] {
  const effective = (kernel - 1) * dilation + 1;
  const out = Math.ceil(size / stride);
  const total = Math.max((out - 1) * stride + effective - size, 0);
  return [Math.floor(total / 2), total - Math.floor(total / 2)];
}

/** ONNX `pads` for a 2-D window over NHWC input of spatial size [h, w] with TFLite padding (0 SAME, 1 VALID). */
export function windowPads(
  padding: number,
  h: number,
  w: number,
  kh: number,
  kw: number,
  sh: number,
  sw: number,
  dh = 1,
  dw = 1,
): number[] {
  if (padding !== 0) return [0, 0, 0, 0];
  const [top, bottom] = samePadding(h, kh, sh, dh);
  const [left, right] = samePadding(w, kw, sw, dw);
  return [top, left, bottom, right];
}
