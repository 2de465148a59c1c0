import { dirname } from 'node:path';
import { decodeOnnx, encodeOnnx } from '../formats/onnx';
import { decodeTflite, encodeTflite } from '../formats/tflite';
import type { ModelFormat } from '../formats/model-io';
import type { Model } from '../ir/model';

/** Encodes and decodes a model in its own format, for the pipeline's snapshots (see PipelineHost). */
export function snapshotCodec(format: ModelFormat, file: string): { encode(model: Model): Uint8Array; decode(bytes: Uint8Array): Model } {
  return format === 'onnx'
    ? { encode: encodeOnnx, decode: (bytes) => decodeOnnx(bytes, { file, baseDir: dirname(file) }) }
    : { encode: encodeTflite, decode: (bytes) => decodeTflite(bytes, { file }) };
}
