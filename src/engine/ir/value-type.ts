import type { DType } from './dtype';
import type { Dim } from './shape';

/** Type of a tensor value; `shape` is `undefined` when the rank is unknown. */
export interface TensorType {
  kind: 'tensor';
  dtype: DType;
  shape?: Dim[];
}

/** Type of a sparse tensor value. */
export interface SparseTensorType {
  kind: 'sparse-tensor';
  dtype: DType;
  shape?: Dim[];
}

/** A sequence of values of one type. */
export interface SequenceType {
  kind: 'sequence';
  elem: ValueType | undefined;
}

/** A map from a scalar key type to values of one type. */
export interface MapType {
  kind: 'map';
  key: DType;
  value: ValueType | undefined;
}

/** A value that may be absent. */
export interface OptionalType {
  kind: 'optional';
  elem: ValueType | undefined;
}

/** The type of a value flowing along a graph edge. */
export type ValueType = TensorType | SparseTensorType | SequenceType | MapType | OptionalType;

/** Short readable form, e.g. `float32[N,3,224,224]` or `seq(float32[?])`. */
export function formatValueType(type: ValueType | undefined): string {
  if (!type) return '?';
  switch (type.kind) {
    case 'tensor':
    case 'sparse-tensor': {
      const shape = type.shape ? `[${type.shape.map((d) => (d === null ? '?' : String(d))).join(',')}]` : '[…]';
      return `${type.kind === 'sparse-tensor' ? 'sparse ' : ''}${type.dtype}${shape}`;
    }
    case 'sequence':
      return `seq(${formatValueType(type.elem)})`;
    case 'map':
      return `map(${type.key},${formatValueType(type.value)})`;
    case 'optional':
      return `optional(${formatValueType(type.elem)})`;
  }
}
