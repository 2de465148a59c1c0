import type { ModelFormat } from '../../contract/schemas';
import type { EngineContext } from '../context';
import { LitheError } from '../errors';
import { identifyFile, type FileFacts } from '../files/identify-file';
import type { Model } from '../ir/model';
import { formatByName } from './index';

/** Output formats Lithe writes. */
export type { ModelFormat };

/** A model read from disk together with the facts of its file. */
export interface LoadedModel {
  model: Model;
  facts: FileFacts;
  format: ModelFormat;
}

/** Identifies the file by content and reads it into the IR with the matching codec. */
export async function loadModel(path: string, ctx: EngineContext = {}): Promise<LoadedModel> {
  const facts = await identifyFile(path, ctx);
  if (facts.format === null) throw new LitheError('not-a-model', facts.reason ?? 'This is not a model file.', { file: facts.path });
  const codec = formatByName(facts.format);
  if (!codec)
    throw new LitheError('unsupported', `Lithe can identify this ${facts.format} file but cannot read it into its graph yet.`, {
      file: facts.path,
    });
  return { model: codec.read(facts.path, ctx), facts, format: facts.format };
}

/** Serializes a model in `format`. */
export function encodeModel(model: Model, format: ModelFormat, file?: string): Uint8Array {
  const codec = formatByName(format);
  if (!codec) throw new LitheError('unsupported', `Lithe cannot write ${format} files.`, { file });
  return codec.encode(model);
}

/** The usual file extension of a format. */
export function extensionOf(format: ModelFormat): string {
  return format === 'onnx' ? '.onnx' : '.tflite';
}

export { stemOf } from '../files/file-stem';
