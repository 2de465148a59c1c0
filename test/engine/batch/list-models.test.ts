import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listModels } from '../../../src/engine/batch/list-models';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lithe-list-'));
  for (const file of ['a.onnx', 'b.TFLITE', 'notes.txt', 'sub/c.onnx', 'sub/deeper/d.tflite', '.hidden/e.onnx', 'out/f.onnx']) {
    await mkdir(join(dir, file, '..'), { recursive: true });
    await writeFile(join(dir, file), '');
  }
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('listModels', () => {
  it('finds .onnx and .tflite files recursively, sorted, skipping hidden folders and the output folder', async () => {
    expect(await listModels(dir, join(dir, 'out'))).toEqual(['a.onnx', 'b.TFLITE', 'sub/c.onnx', 'sub/deeper/d.tflite']);
  });

  it('names the folder when it does not exist', async () => {
    await expect(listModels(join(dir, 'missing'))).rejects.toThrow(/missing: Cannot read this folder|missing/);
  });
});
