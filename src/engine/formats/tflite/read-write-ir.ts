import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { EngineContext } from '../../context';
import { LitheError, throwIfCancelled } from '../../errors';
import type { Model } from '../../ir/model';
import { tfliteFromIr } from './from-ir';
import { readTflite } from './read-tflite';
import { tfliteToIr } from './to-ir';
import { writeTflite } from './write-tflite';
import { writeProblem } from '../../files/write-failure';

/** Decodes .tflite bytes into the IR (see {@link tfliteToIr}). */
export function decodeTflite(bytes: Uint8Array, options: { file?: string } = {}): Model {
  return tfliteToIr(readTflite(bytes, options));
}

/** Encodes an IR model (of TFLite operators) as .tflite bytes. */
export function encodeTflite(model: Model): Uint8Array {
  return writeTflite(tfliteFromIr(model));
}

/** Reads a .tflite file into the IR. Tensor data stays a view into the file's bytes. */
export function readTfliteFile(path: string, ctx: EngineContext = {}): Model {
  throwIfCancelled(ctx.signal);
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    if ((error as { code?: string }).code === 'ERR_FS_FILE_TOO_LARGE') {
      throw new LitheError('unsupported', 'the file is larger than 2 GB, which Lithe cannot load in one piece yet', {
        file: path,
        cause: error,
      });
    }
    throw new LitheError('not-found', 'the file does not exist or cannot be read', { file: path, cause: error });
  }
  const model = tfliteToIr(readTflite(bytes, { file: path }), resolve(path));
  return model;
}

/**
 * Writes an IR model as .tflite to `path`, under a temporary name first and renamed when complete.
 * Refuses to write over the file the model was read from.
 */
export function writeTfliteFile(model: Model, path: string, ctx: EngineContext = {}): void {
  const out = resolve(path);
  if (model.sourcePath && resolve(model.sourcePath) === out) {
    throw new LitheError('invalid-argument', 'refusing to write over the model being read', { file: path });
  }
  throwIfCancelled(ctx.signal);
  const bytes = encodeTflite(model);
  const tmp = join(dirname(out), `.${basename(out)}.${process.pid}-${Date.now().toString(36)}.tmp`);
  try {
    writeFileSync(tmp, bytes);
    throwIfCancelled(ctx.signal);
    renameSync(tmp, out);
  } catch (error) {
    rmSync(tmp, { force: true });
    if (error instanceof LitheError) throw error;
    throw new LitheError('write-failed', `the model could not be written: ${writeProblem(error)}`, { file: path, cause: error });
  }
}
