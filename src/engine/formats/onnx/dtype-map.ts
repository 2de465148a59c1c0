import type { DType } from '../../ir/dtype';

// TensorProto.DataType codes (onnx.proto), index = code.
const BY_CODE: readonly DType[] = [
  'undefined',
  'float32',
  'uint8',
  'int8',
  'uint16',
  'int16',
  'int32',
  'int64',
  'string',
  'bool',
  'float16',
  'float64',
  'uint32',
  'uint64',
  'complex64',
  'complex128',
  'bfloat16',
  'float8e4m3fn',
  'float8e4m3fnuz',
  'float8e5m2',
  'float8e5m2fnuz',
  'uint4',
  'int4',
  'float4e2m1',
  'float8e8m0',
  'uint2',
  'int2',
];

const BY_NAME = new Map<DType, number>(BY_CODE.map((d, i) => [d, i]));

/** IR element type for an ONNX `TensorProto.DataType` code (`undefined` for unknown codes). */
export function dtypeFromOnnx(code: number): DType | undefined {
  return BY_CODE[code];
}

/** ONNX `TensorProto.DataType` code for an IR element type. */
export function dtypeToOnnx(dtype: DType): number {
  return BY_NAME.get(dtype) ?? 0;
}
