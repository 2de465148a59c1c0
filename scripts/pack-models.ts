// Helpers of the package scripts: finding the models of a folder.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** Every .onnx and .tflite file below `dir` (sorted), or exit with a clear message when the folder is absent. */
export function modelsIn(dir: string | undefined, usage: string): string[] {
  if (!dir) {
    console.error(`usage: ${usage}`);
    process.exit(2);
  }
  const root = resolve(dir);
  if (!existsSync(root) || !statSync(root).isDirectory()) {
    console.error(`${root}: no such folder (give the models folder, e.g. ../shared/models)`);
    process.exit(2);
  }
  return readdirSync(root, { recursive: true, encoding: 'utf8' })
    .filter((f) => /\.(onnx|tflite)$/i.test(f))
    .map((f) => join(root, f))
    .sort();
}
