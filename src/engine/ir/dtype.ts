/**
 * Element types of tensors, named independently of any file format. Formats map their own codes
 * onto these names (ONNX: `formats/onnx/dtype-map.ts`).
 */
export type DType =
  | 'float32'
  | 'float64'
  | 'float16'
  | 'bfloat16'
  | 'float8e4m3fn'
  | 'float8e4m3fnuz'
  | 'float8e5m2'
  | 'float8e5m2fnuz'
  | 'float8e8m0'
  | 'float4e2m1'
  | 'int2'
  | 'int4'
  | 'int8'
  | 'int16'
  | 'int32'
  | 'int64'
  | 'uint2'
  | 'uint4'
  | 'uint8'
  | 'uint16'
  | 'uint32'
  | 'uint64'
  | 'bool'
  | 'string'
  | 'complex64'
  | 'complex128'
  | 'undefined';

const BITS: Record<DType, number> = {
  float32: 32,
  float64: 64,
  float16: 16,
  bfloat16: 16,
  float8e4m3fn: 8,
  float8e4m3fnuz: 8,
  float8e5m2: 8,
  float8e5m2fnuz: 8,
  float8e8m0: 8,
  float4e2m1: 4,
  int2: 2,
  int4: 4,
  int8: 8,
  int16: 16,
  int32: 32,
  int64: 64,
  uint2: 2,
  uint4: 4,
  uint8: 8,
  uint16: 16,
  uint32: 32,
  uint64: 64,
  bool: 8,
  string: 0,
  complex64: 64,
  complex128: 128,
  undefined: 0,
};

/** Every known element type, in a stable order. */
export const ALL_DTYPES: readonly DType[] = Object.keys(BITS) as DType[];

/** True when `name` is one of the {@link DType} names. */
export function isDType(name: string): name is DType {
  return Object.prototype.hasOwnProperty.call(BITS, name);
}

/** Bits one element occupies in packed little-endian storage; 0 for `string` and `undefined`. */
export function dtypeBits(dtype: DType): number {
  return BITS[dtype];
}

/** True for every floating-point type, including the 16-, 8- and 4-bit kinds. */
export function isFloatDType(dtype: DType): boolean {
  return dtype.startsWith('float') || dtype === 'bfloat16';
}

/**
 * Bytes needed to store `count` elements packed (sub-byte types share bytes, rounded up).
 * Returns `undefined` for types without a fixed width (`string`, `undefined`).
 */
export function packedByteLength(dtype: DType, count: number): number | undefined {
  const bits = BITS[dtype];
  if (bits === 0) return undefined;
  return Math.ceil((count * bits) / 8);
}
