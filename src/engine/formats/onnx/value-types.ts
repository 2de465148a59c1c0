import { create } from '@bufbuild/protobuf';
import { TensorShapeProtoSchema, TensorShapeProto_DimensionSchema, TypeProtoSchema, type TensorShapeProto, type TypeProto } from 'onnx-buf';
import type { Dim } from '../../ir/shape';
import type { ValueType } from '../../ir/value-type';
import { dtypeFromOnnx, dtypeToOnnx } from './dtype-map';

/** IR type of an ONNX TypeProto (`undefined` when it says nothing). */
export function typeFromOnnx(t: TypeProto | undefined): ValueType | undefined {
  if (!t) return undefined;
  const v = t.value;
  switch (v.case) {
    case 'tensorType':
      return { kind: 'tensor', dtype: dtypeFromOnnx(v.value.elemType) ?? 'undefined', shape: shapeFromOnnx(v.value.shape) };
    case 'sparseTensorType':
      return { kind: 'sparse-tensor', dtype: dtypeFromOnnx(v.value.elemType) ?? 'undefined', shape: shapeFromOnnx(v.value.shape) };
    case 'sequenceType':
      return { kind: 'sequence', elem: typeFromOnnx(v.value.elemType) };
    case 'optionalType':
      return { kind: 'optional', elem: typeFromOnnx(v.value.elemType) };
    case 'mapType':
      return { kind: 'map', key: dtypeFromOnnx(v.value.keyType) ?? 'undefined', value: typeFromOnnx(v.value.valueType) };
    default:
      return undefined;
  }
}

function shapeFromOnnx(shape: TensorShapeProto | undefined): Dim[] | undefined {
  if (!shape) return undefined;
  return shape.dim.map((d) => {
    if (d.value.case === 'dimValue') return Number(d.value.value);
    if (d.value.case === 'dimParam') return d.value.value;
    return null;
  });
}

/** ONNX TypeProto for an IR type. */
export function typeToOnnx(t: ValueType | undefined): TypeProto | undefined {
  if (!t) return undefined;
  switch (t.kind) {
    case 'tensor':
      return create(TypeProtoSchema, {
        value: { case: 'tensorType', value: { elemType: dtypeToOnnx(t.dtype), shape: shapeToOnnx(t.shape) } },
      });
    case 'sparse-tensor':
      return create(TypeProtoSchema, {
        value: { case: 'sparseTensorType', value: { elemType: dtypeToOnnx(t.dtype), shape: shapeToOnnx(t.shape) } },
      });
    case 'sequence':
      return create(TypeProtoSchema, { value: { case: 'sequenceType', value: { elemType: typeToOnnx(t.elem) } } });
    case 'optional':
      return create(TypeProtoSchema, { value: { case: 'optionalType', value: { elemType: typeToOnnx(t.elem) } } });
    case 'map':
      return create(TypeProtoSchema, {
        value: { case: 'mapType', value: { keyType: dtypeToOnnx(t.key), valueType: typeToOnnx(t.value) } },
      });
  }
}

function shapeToOnnx(shape: Dim[] | undefined): TensorShapeProto | undefined {
  if (!shape) return undefined;
  return create(TensorShapeProtoSchema, {
    dim: shape.map((d) =>
      create(TensorShapeProto_DimensionSchema, {
        value:
          d === null
            ? { case: undefined }
            : typeof d === 'number'
              ? { case: 'dimValue', value: BigInt(d) }
              : { case: 'dimParam', value: d },
      }),
    ),
  });
}
