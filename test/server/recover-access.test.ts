import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngineService, type EngineService } from '../../src/engine/service/engine-service';
import { createAccessPolicy } from '../../src/server/access-policy';
import { guardedService } from '../../src/server/guarded-service';
import { PPOCR_CLS_ONNX } from '../fixtures/real-models';

let dir: string;
let service: EngineService;
let runDir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lithe-recover-access-'));
  await mkdir(join(dir, 'user'));
  await mkdir(join(dir, 'lithe'));
  await mkdir(join(dir, 'elsewhere'));
  await copyFile(PPOCR_CLS_ONNX, join(dir, 'user', 'cls.onnx'));
  await writeFile(join(dir, 'user', 'data.npy'), 'not read: the guard answers first');
  service = createEngineService({ host: 'web' });
  runDir = join(dir, 'lithe', 'run');
  await service.invoke('optimize.run', { model: join(dir, 'user', 'cls.onnx'), recipe: 'graph', outDir: runDir });
}, 120_000);
afterAll(async () => {
  await service.close();
  await rm(dir, { recursive: true, force: true });
});

describe('train.recover through the web host', () => {
  it('checks the models a run’s report names against the page’s access policy', async () => {
    const policy = createAccessPolicy({ readFolders: [join(dir, 'user')], litheFolders: [join(dir, 'lithe')] });
    const guarded = guardedService(service, policy);
    // A report edited to name a model outside the folders the page may read.
    const outside = join(dir, 'elsewhere', 'secret.onnx');
    await copyFile(PPOCR_CLS_ONNX, outside);
    const reportPath = join(runDir, 'report.json');
    const report = JSON.parse(await readFile(reportPath, 'utf8')) as { input: { path: string }; output: { path: string } };
    for (const edited of [
      { ...report, input: { ...report.input, path: outside } },
      { ...report, output: { ...report.output, path: outside } },
    ]) {
      await writeFile(reportPath, JSON.stringify(edited));
      const args = { run: runDir, data: join(dir, 'user', 'data.npy'), outDir: join(dir, 'lithe', 'retrained') };
      await expect(guarded.invoke('train.recover', args)).rejects.toMatchObject({ code: 'not-allowed', file: outside });
    }
  });
});
