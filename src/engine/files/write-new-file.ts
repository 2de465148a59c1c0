import { randomBytes } from 'node:crypto';
import { existsSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { LitheError } from '../errors';
import { sameFile } from './same-file';
import { writeProblem } from './write-failure';

/** Options for {@link writeNewFile}. */
export interface WriteNewFileOptions {
  /** Files that must never be written over (the inputs). */
  inputs?: string[];
  /** Replace an existing file at `path` (never one of `inputs`). */
  replace?: boolean;
}

/**
 * Writes `bytes` to `path` under a hidden temporary name in the same folder, then renames it into
 * place, so a failure leaves no half-written file. Refuses to write over an input, and over any
 * existing file unless `replace` is set.
 */
export function writeNewFile(path: string, bytes: Uint8Array, options: WriteNewFileOptions = {}): void {
  const out = resolve(path);
  if (options.inputs?.some((input) => sameFile(input, out)))
    throw new LitheError(
      'invalid-argument',
      'the output is the input file itself; Lithe never writes over its input — choose another output path',
      {
        file: path,
      },
    );
  if (!options.replace && existsSync(out))
    throw new LitheError('invalid-argument', 'the output file already exists; choose another name (or allow replacing it)', { file: path });
  const tmp = join(dirname(out), `.${basename(out)}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    writeFileSync(tmp, bytes);
    renameSync(tmp, out);
  } catch (error) {
    rmSync(tmp, { force: true });
    throw new LitheError('write-failed', `the file could not be written: ${writeProblem(error)}`, {
      file: path,
      cause: error,
    });
  }
}
