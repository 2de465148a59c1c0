import type { TensorProto } from 'onnx-buf';
import { LitheError } from '../../errors';
import { decodeModelProto } from '../../formats/onnx/read';
import { dtypeBits, type DType } from '../../ir/dtype';
import { dtypeFromOnnx } from '../../formats/onnx/dtype-map';
import { readTflite } from '../../formats/tflite';
import { dtypeFromTflite } from '../../formats/tflite/dtype-map';
import { tfliteIndexSegments } from './tflite-index-segments';

/** The bytes of one tensor's data inside a model file. */
export interface WeightSegment {
  name: string;
  dtype: DType;
  /** Shape of the stored data (for a TFLite sparse tensor: its stored values). */
  dims: number[];
  offset: number;
  length: number;
  /** Element width the coder reads the bytes in: 1, 2, 4 or 8. */
  width: number;
}

/** Bytes per element for coding: the element size, or 1 for packed sub-byte types; undefined for strings. */
function codingWidth(dtype: DType): number | undefined {
  const bits = dtypeBits(dtype);
  if (bits === 0) return undefined;
  if (bits < 8) return 1;
  return [8, 16, 32, 64].includes(bits) ? bits / 8 : bits === 128 ? 8 : 1;
}

function viewOffset(view: Uint8Array, file: Uint8Array): number | undefined {
  if (view.buffer !== file.buffer) return undefined;
  const offset = view.byteOffset - file.byteOffset;
  return offset >= 0 && offset + view.length <= file.length ? offset : undefined;
}

/** Every tensor's raw data in an ONNX file (initializers, Constant attributes, subgraphs, functions, sparse tensors). */
function onnxSegments(bytes: Uint8Array, file: string | undefined): WeightSegment[] {
  const segments: WeightSegment[] = [];
  const tensor = (t: TensorProto, label: string): void => {
    const name = t.name || label;
    if (t.dataLocation === 1)
      throw new LitheError(
        'unsupported',
        `tensor '${name}' is stored in an external data file; packing models with external data is not supported — keep every tensor inside the .onnx file`,
        { file },
      );
    const dtype = dtypeFromOnnx(t.dataType) ?? 'undefined';
    const width = codingWidth(dtype);
    const offset = viewOffset(t.rawData, bytes);
    if (width === undefined || offset === undefined || t.rawData.length === 0 || t.rawData.length % width !== 0) return;
    segments.push({ name, dtype, dims: t.dims.map(Number), offset, length: t.rawData.length, width });
  };
  const visit = (value: unknown, label: string): void => {
    if (Array.isArray(value)) {
      if (value.length > 0 && typeof value[0] === 'object') for (const item of value) visit(item, label);
      return;
    }
    if (typeof value !== 'object' || value === null || value instanceof Uint8Array) return;
    const message = value as { $typeName?: string; name?: string; output?: string[] };
    if (message.$typeName === 'onnx.TensorProto') return tensor(value as TensorProto, label);
    const here = message.$typeName === 'onnx.NodeProto' ? message.name || message.output?.[0] || label : label;
    for (const [key, field] of Object.entries(value)) if (key !== '$typeName') visit(field, here);
  };
  visit(decodeModelProto(bytes, undefined).proto, 'constant');
  return segments;
}

/** Every buffer with data in a TFLite file, typed by the tensors that use it, and the index vectors of sparse tensors. */
function tfliteSegments(bytes: Uint8Array, file: string | undefined): WeightSegment[] {
  const model = readTflite(bytes, { file });
  const users = new Map<number, { name: string; type: number; dims: number[] }>();
  for (const g of model.subgraphs)
    for (const t of g.tensors)
      if (t.buffer > 0 && !users.has(t.buffer))
        users.set(t.buffer, { name: t.name ?? `buffer ${t.buffer}`, type: t.type, dims: t.sparsity ? [] : (t.shape ?? []) });
  const segments: WeightSegment[] = [];
  model.buffers.forEach((buffer, index) => {
    const data = buffer.data;
    const offset = data ? viewOffset(data, bytes) : undefined;
    if (!data || offset === undefined || data.length === 0) return;
    const user = users.get(index);
    const dtype = user ? dtypeFromTflite(user.type) : 'uint8';
    let width = codingWidth(dtype) ?? 1;
    if (data.length % width !== 0) width = 1;
    const dims = user && user.dims.length ? user.dims : [data.length / width];
    segments.push({ name: user?.name ?? `buffer ${index}`, dtype, dims, offset, length: data.length, width });
  });
  return [...segments, ...tfliteIndexSegments(bytes)];
}

/**
 * Finds the byte ranges of tensor data in a model file: views the format readers keep into the
 * file's bytes. Ranges are sorted and never overlap (a buffer shared by several tensors is listed once).
 */
export function findWeightSegments(bytes: Uint8Array, format: 'onnx' | 'tflite', file?: string): WeightSegment[] {
  const found = format === 'onnx' ? onnxSegments(bytes, file) : tfliteSegments(bytes, file);
  found.sort((a, b) => a.offset - b.offset || b.length - a.length);
  const out: WeightSegment[] = [];
  let end = 0;
  for (const s of found) {
    if (s.offset < end) continue;
    out.push(s);
    end = s.offset + s.length;
  }
  return out;
}
