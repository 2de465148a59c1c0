import { fromBinary } from '@bufbuild/protobuf';
import { dirname, resolve } from 'node:path';
import { ModelProtoSchema, TensorProtoSchema, type ModelProto, type TensorProto } from 'onnx-buf';
import type { EngineContext } from '../../context';
import { LitheError, throwIfCancelled } from '../../errors';
import { readRegularFileSync } from '../../files/regular-file';
import type { Model } from '../../ir/model';
import type { Tensor } from '../../ir/tensor';
import { checkDecodeFits, type DecodeCost } from './decode-cost';
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
  const { proto, cost } = decodeModelProto(bytes, file);
  try {
    const model = modelFromProto(proto, { file, baseDir: options.baseDir });
    validateModel(model, file);
    return model;
  } catch (error) {
    if (isStackOverflow(error)) throw tooDeep(cost.depth, file, error);
    throw error;
  }
}

/**
 * Decodes the protobuf of a ModelProto, after checking that its decoded form fits in memory (see
 * `decode-cost.ts`). Subgraph nesting is limited by the stack the decoder recurses on, not by a
 * count: real exports nest If/Loop bodies deeply, and only a stack overflow means "too deep".
 */
export function decodeModelProto(bytes: Uint8Array, file: string | undefined): { proto: ModelProto; cost: DecodeCost } {
  const cost = checkDecodeFits(bytes, file);
  try {
    return { proto: fromBinary(ModelProtoSchema, bytes, { recursionLimit: Number.MAX_SAFE_INTEGER }), cost };
  } catch (error) {
    if (isStackOverflow(error)) throw tooDeep(cost.depth, file, error);
    const why = error instanceof Error ? error.message : String(error);
    throw new LitheError('corrupt-model', `the ONNX protobuf could not be decoded: ${why}`, { file, cause: error });
  }
}

function isStackOverflow(error: unknown): boolean {
  return error instanceof RangeError && /call stack/i.test(error.message);
}

function tooDeep(depth: number, file: string | undefined, cause: unknown): LitheError {
  return new LitheError('unsupported', `the model nests subgraphs ${depth} messages deep, more than Lithe's stack can follow`, {
    file,
    cause,
  });
}

/** Reads an ONNX model file (and its external data, lazily) into the IR. */
export function readOnnx(path: string, ctx: EngineContext = {}): Model {
  throwIfCancelled(ctx.signal);
  const file = resolve(path);
  ctx.onProgress?.({ stage: 'read', fraction: 0, message: `reading ${path}` });
  const bytes = readRegularFileSync(file, 'the model', {
    maxBytes: 2 ** 31 - 1,
    why: 'ONNX protobuf files are limited to 2 GB (larger models keep weights in external data)',
  });
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
