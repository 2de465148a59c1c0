import type { DType } from '../../ir/dtype';
import { TensorType } from './generated/tflite/tensor-type';

const TO_IR: Partial<Record<TensorType, DType>> = {
  [TensorType.FLOAT32]: 'float32',
  [TensorType.FLOAT16]: 'float16',
  [TensorType.FLOAT64]: 'float64',
  [TensorType.INT32]: 'int32',
  [TensorType.UINT8]: 'uint8',
  [TensorType.INT64]: 'int64',
  [TensorType.STRING]: 'string',
  [TensorType.BOOL]: 'bool',
  [TensorType.INT16]: 'int16',
  [TensorType.COMPLEX64]: 'complex64',
  [TensorType.INT8]: 'int8',
  [TensorType.COMPLEX128]: 'complex128',
  [TensorType.UINT64]: 'uint64',
  [TensorType.UINT32]: 'uint32',
  [TensorType.UINT16]: 'uint16',
  [TensorType.INT4]: 'int4',
  [TensorType.INT2]: 'int2',
};

/** The IR element type of a TFLite tensor type; RESOURCE and VARIANT (and unknown codes) map to 'undefined'. */
export function dtypeFromTflite(type: number): DType {
  return TO_IR[type as TensorType] ?? 'undefined';
}

/** The TFLite tensor type for an IR element type, or undefined when TFLite has none. */
export function dtypeToTflite(dtype: DType): number | undefined {
  for (const [code, name] of Object.entries(TO_IR)) if (name === dtype) return Number(code);
  return undefined;
}
