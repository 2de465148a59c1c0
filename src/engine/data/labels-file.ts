import { readFile } from 'node:fs/promises';
import { LitheError } from '../errors';
import { isIdxName, readIdxLabels } from './idx';
import { parseNpy } from './npy';

/** Reads class labels from an IDX labels file, a `.npy` array or a text file with one integer per line. */
export async function readLabelsFile(path: string): Promise<Int32Array> {
  if (isIdxName(path)) return readIdxLabels(path);
  const bytes = new Uint8Array(await readFile(path));
  if (/\.npy$/i.test(path)) return Int32Array.from(parseNpy(bytes, path).values);
  const lines = new TextDecoder()
    .decode(bytes)
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean);
  const labels = lines.map(Number);
  if (labels.some((x) => !Number.isInteger(x)))
    throw new LitheError(
      'invalid-argument',
      'Labels must be an IDX labels file, a .npy array, or a text file with one class number per line.',
      { file: path },
    );
  return Int32Array.from(labels);
}
