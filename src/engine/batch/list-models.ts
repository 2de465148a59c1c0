import { readdir } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import { LitheError } from '../errors';

const MODEL_FILE = /\.(onnx|tflite)$/i;

/** Every .onnx / .tflite file under `dir` (recursive), as paths relative to it, sorted; hidden folders and `exclude` are skipped. */
export async function listModels(dir: string, exclude?: string): Promise<string[]> {
  const root = resolve(dir);
  const skip = exclude ? resolve(exclude) : undefined;
  let entries;
  try {
    entries = await readdir(root, { recursive: true, withFileTypes: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new LitheError(
      code === 'ENOENT' ? 'not-found' : 'unreadable',
      code === 'ENOTDIR' ? 'This is a file, not a folder.' : 'Cannot read this folder.',
      { file: root, cause: error },
    );
  }
  const found: string[] = [];
  for (const entry of entries) {
    if (!entry.isFile() || !MODEL_FILE.test(entry.name)) continue;
    const full = join(entry.parentPath, entry.name);
    const rel = relative(root, full);
    if (rel.split(sep).some((part) => part.startsWith('.'))) continue;
    if (skip && (full === skip || full.startsWith(skip + sep))) continue;
    found.push(rel);
  }
  return found.sort();
}
