import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { beginRunFolder } from '../../../src/engine/optimize/run-folder';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lithe-run-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('run folders', () => {
  it('appear only when complete', async () => {
    const folder = await beginRunFolder(join(dir, 'run1'));
    await writeFile(join(folder.dir, 'report.json'), '{}');
    expect(await readdir(dir)).not.toContain('run1');
    await folder.commit();
    expect(await readdir(join(dir, 'run1'))).toEqual(['report.json']);
  });

  it('leave nothing behind when discarded', async () => {
    const before = await readdir(dir);
    const folder = await beginRunFolder(join(dir, 'run2'));
    await writeFile(join(folder.dir, 'model.onnx'), 'x');
    await folder.discard();
    expect(await readdir(dir)).toEqual(before);
  });

  it('never write into a folder that has other files', async () => {
    await mkdir(join(dir, 'mine'));
    await writeFile(join(dir, 'mine', 'thesis.docx'), 'precious');
    await expect(beginRunFolder(join(dir, 'mine'))).rejects.toThrow(/already exists and is not empty/);
    await expect(beginRunFolder(join(dir, 'mine'), { replaceRun: true })).rejects.toThrow(/already exists and is not empty/);
  });

  it('replace an earlier run only when asked', async () => {
    await expect(beginRunFolder(join(dir, 'run1'))).rejects.toThrow(/not empty/);
    const folder = await beginRunFolder(join(dir, 'run1'), { replaceRun: true });
    await writeFile(join(folder.dir, 'report.json'), '{"new":true}');
    await writeFile(join(folder.dir, 'model.onnx'), 'y');
    await folder.commit();
    expect((await readdir(join(dir, 'run1'))).sort()).toEqual(['model.onnx', 'report.json']);
    expect((await readdir(dir)).filter((name) => name.startsWith('.'))).toEqual([]);
  });
});
