import type { AttributeProto, FunctionProto, GraphProto, ModelProto, NodeProto, TensorProto, ValueInfoProto } from 'onnx-buf';
import type { AttributeValue } from '../../ir/attribute';
import type { FormatExtras } from '../../ir/format-extras';
import type { Value } from '../../ir/value';
import type { ValueType } from '../../ir/value-type';

/** Side records the ONNX reader attaches to IR objects so the writer can be lossless. */
export interface OnnxGraphRecord {
  proto: GraphProto;
  /** Declarations as read, per list, keyed by the IR value they declared. */
  inputs: Map<Value, ValueInfoProto>;
  outputs: Map<Value, ValueInfoProto>;
  valueInfo: Map<Value, ValueInfoProto>;
  /** Each declared value's `type` object right after reading (unchanged ⇒ reuse the protos). */
  typeAtRead: Map<Value, ValueType | undefined>;
}

export interface OnnxAttributeRecord {
  proto: AttributeProto;
  valueAtRead: AttributeValue;
}

export const FORMAT = 'onnx';

/** Wraps a record as {@link FormatExtras}. */
export function extras(record: unknown): FormatExtras {
  return { format: FORMAT, record };
}

/** The ONNX record of an IR object, when it was read from ONNX. */
export function recordOf<T>(x: { extras?: FormatExtras | undefined } | undefined): T | undefined {
  return x?.extras?.format === FORMAT ? (x.extras.record as T) : undefined;
}

export type { FunctionProto, ModelProto, NodeProto, TensorProto };
