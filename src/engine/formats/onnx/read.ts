import { fromBinary } from '@bufbuild/protobuf';
import { readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { ModelProtoSchema, TensorProtoSchema, type ModelProto, type TensorProto } from 'onnx-buf';
import type { EngineContext } from '../../context';
import { LitheError, throwIfCancelled } from '../../errors';
import type { Model } from '../../ir/model';
import type { Tensor } from '../../ir/tensor';
import { validateModel } from './validate';
import { sniffOnnx } from './sniff';
import { modelFromProto, tensorFromProto } from './to-ir';

/** Options for {@link decodeOnnx}. */
export interface DecodeOptions {
  /** File name used in error messages. */
  file?: string;
  /** Folder that external data locations are relative to; without it external data is refused. */
  baseDir?: string;
}

/**
 * Decodes ONNX bytes into the IR. Tensor data stays a view into `bytes` (not copied) until a
 * pass replaces it. Throws a {@link LitheError} naming the file and the problem for anything that
 * is not a valid ONNX model (wrong content, truncation, cycles, tensor sizes, external data).
 */
export function decodeOnnx(bytes: Uint8Array, options: DecodeOptions = {}): Model {
  const file = options.file;
  const sniff = sniffOnnx(bytes);
  if (!sniff.ok) {
    throw new LitheError(
      sniff.truncated ? 'corrupt-model' : 'not-a-model',
      sniff.truncated ? sniff.reason : `not an ONNX model: ${sniff.reason}`,
      { file },
    );
  }
  let proto: ModelProto;
  try {
    proto = fromBinary(ModelProtoSchema, bytes);
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    throw new LitheError('corrupt-model', `the ONNX protobuf could not be decoded: ${why}`, { file, cause: error });
  }
  const model = modelFromProto(proto, { file, baseDir: options.baseDir });
  validateModel(model, file);
  return model;
}

/** Reads an ONNX model file (and its external data, lazily) into the IR. */
export function readOnnx(path: string, ctx: EngineContext = {}): Model {
  throwIfCancelled(ctx.signal);
  const file = resolve(path);
  let size: number;
  try {
    const st = statSync(file);
    if (!st.isFile()) throw new LitheError('unreadable', 'is not a file', { file: path });
    size = st.size;
  } catch (error) {
    if (error instanceof LitheError) throw error;
    throw new LitheError('not-found', 'the file does not exist or cannot be opened', { file: path, cause: error });
  }
  if (size > 2 ** 31 - 1)
    throw new LitheError(
      'unsupported',
      `the file is ${size} bytes; ONNX protobuf files are limited to 2 GB (larger models keep weights in external data)`,
      { file: path },
    );
  ctx.onProgress?.({ stage: 'read', fraction: 0, message: `reading ${path}` });
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(file);
  } catch (error) {
    throw new LitheError('unreadable', 'the file cannot be read', { file: path, cause: error });
  }
  throwIfCancelled(ctx.signal);
  const model = decodeOnnx(bytes, { file: path, baseDir: dirname(file) });
  ctx.onProgress?.({ stage: 'read', fraction: 1 });
  return model;
}

/**
 * Decodes a serialized TensorProto (e.g. `input_0.pb` of ONNX test data) into an IR tensor.
 * External data is resolved against `baseDir` when given.
 */
export function decodeOnnxTensor(bytes: Uint8Array, options: DecodeOptions = {}): Tensor {
  let proto: TensorProto;
  try {
    proto = fromBinary(TensorProtoSchema, bytes);
  } catch (error) {
    throw new LitheError('corrupt-model', `not a serialized ONNX TensorProto: ${error instanceof Error ? error.message : String(error)}`, {
      file: options.file,
      cause: error,
    });
  }
  return tensorFromProto(proto, { file: options.file, baseDir: options.baseDir });
}
