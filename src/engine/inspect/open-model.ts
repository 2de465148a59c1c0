import { closeSync, openSync, readSync, statSync } from 'node:fs';
import type { EngineContext } from '../context';
import { LitheError } from '../errors';
import { formatForBytes, type ModelFormat } from '../formats';
import type { Model } from '../ir/model';

/** Finds the format of the model file at `path` by its content. */
export function detectFormat(path: string): { format: ModelFormat; sizeBytes: number } {
  let size: number;
  const head = new Uint8Array(4096);
  let got: number;
  try {
    const st = statSync(path);
    if (!st.isFile()) throw new LitheError('unreadable', 'is not a file', { file: path });
    size = st.size;
    const fd = openSync(path, 'r');
    try {
      got = readSync(fd, head, 0, head.length, 0);
    } finally {
      closeSync(fd);
    }
  } catch (error) {
    if (error instanceof LitheError) throw error;
    throw new LitheError('not-found', 'the file does not exist or cannot be read', { file: path, cause: error });
  }
  const format = formatForBytes(head.subarray(0, got), size);
  if (!format)
    throw new LitheError('not-a-model', 'is not a model file Lithe can read (its content is neither ONNX nor any other known format)', {
      file: path,
    });
  return { format, sizeBytes: size };
}

/** Reads the model at `path` with the format its content reveals. */
export function openModel(path: string, ctx: EngineContext = {}): { model: Model; format: ModelFormat; sizeBytes: number } {
  const { format, sizeBytes } = detectFormat(path);
  return { model: format.read(path, ctx), format, sizeBytes };
}
