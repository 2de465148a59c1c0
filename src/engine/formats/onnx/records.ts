import type { AttributeProto, GraphProto, ValueInfoProto } from 'onnx-buf';
import type { AttributeValue } from '../../ir/attribute';
import type { FormatExtras } from '../../ir/format-extras';
import type { Value } from '../../ir/value';
import type { ValueType } from '../../ir/value-type';

/**
 * Side records the ONNX reader attaches to IR objects so the writer can be lossless. Nodes,
 * tensors, functions and the model carry their original proto; graphs and attributes carry the
 * records below.
 */
export interface OnnxGraphRecord {
  proto: GraphProto;
  /** Declarations as read, per list, keyed by the IR value they declared. */
  inputs: Map<Value, ValueInfoProto>;
  outputs: Map<Value, ValueInfoProto>;
  valueInfo: Map<Value, ValueInfoProto>;
  /** Each declared value's `type` object right after reading (unchanged ⇒ reuse the protos). */
  typeAtRead: Map<Value, ValueType | undefined>;
}

/** Side record of an attribute: its proto as read and the IR value built from it. */
export interface OnnxAttributeRecord {
  proto: AttributeProto;
  valueAtRead: AttributeValue;
}

/** The `format` name of ONNX side records. */
export const FORMAT = 'onnx';

/** Wraps a record as {@link FormatExtras}. */
export function extras(record: unknown): FormatExtras {
  return { format: FORMAT, record };
}

/** The ONNX record of an IR object, when it was read from ONNX. */
export function recordOf<T>(x: { extras?: FormatExtras | undefined } | undefined): T | undefined {
  return x?.extras?.format === FORMAT ? (x.extras.record as T) : undefined;
}
