import type { TensorProto } from 'onnx-buf';
import { dtypeBits, type DType } from '../../ir/dtype';

/**
 * Packed little-endian bytes of a TensorProto whose data is stored in the typed repeated fields
 * (`float_data`, `int32_data`, …) rather than `raw_data`.
 */
export function typedFieldsToBytes(proto: TensorProto, dtype: DType, count: number): Uint8Array {
  switch (dtype) {
    case 'float32':
    case 'complex64':
      return new Uint8Array(Float32Array.from(proto.floatData).buffer);
    case 'float64':
    case 'complex128':
      return new Uint8Array(Float64Array.from(proto.doubleData).buffer);
    case 'int64':
      return new Uint8Array(BigInt64Array.from(proto.int64Data).buffer);
    case 'uint32':
      return new Uint8Array(Uint32Array.from(proto.uint64Data, (x) => Number(BigInt.asUintN(32, x))).buffer);
    case 'uint64':
      return new Uint8Array(BigUint64Array.from(proto.uint64Data).buffer);
    case 'int32':
      return new Uint8Array(Int32Array.from(proto.int32Data).buffer);
    case 'int16':
      return new Uint8Array(Int16Array.from(proto.int32Data).buffer);
    case 'uint16':
    case 'float16':
    case 'bfloat16':
      return new Uint8Array(Uint16Array.from(proto.int32Data).buffer);
    default: {
      const bits = dtypeBits(dtype);
      if (bits >= 8) return Uint8Array.from(proto.int32Data, (x) => x & 0xff);
      // Sub-byte types: each int32 holds 8/bits elements already packed into its low byte.
      const out = new Uint8Array(Math.ceil((count * bits) / 8));
      out.set(proto.int32Data.slice(0, out.length).map((x) => x & 0xff));
      return out;
    }
  }
}

/** Number of elements stored in the typed repeated fields of `proto` (for size validation). */
export function typedFieldCount(proto: TensorProto, dtype: DType): number {
  switch (dtype) {
    case 'float32':
      return proto.floatData.length;
    case 'complex64':
      return proto.floatData.length / 2;
    case 'float64':
      return proto.doubleData.length;
    case 'complex128':
      return proto.doubleData.length / 2;
    case 'int64':
      return proto.int64Data.length;
    case 'uint32':
    case 'uint64':
      return proto.uint64Data.length;
    case 'string':
      return proto.stringData.length;
    default: {
      const bits = dtypeBits(dtype);
      return bits >= 8 ? proto.int32Data.length : proto.int32Data.length * (8 / bits);
    }
  }
}

/** True when any typed repeated data field of `proto` holds values. */
export function hasTypedFields(proto: TensorProto): boolean {
  return (
    proto.floatData.length > 0 ||
    proto.int32Data.length > 0 ||
    proto.int64Data.length > 0 ||
    proto.doubleData.length > 0 ||
    proto.uint64Data.length > 0 ||
    proto.stringData.length > 0
  );
}
