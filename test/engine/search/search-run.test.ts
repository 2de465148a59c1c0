import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SearchReport } from '../../../src/contract/search';
import { createEngineService } from '../../../src/engine/service';
import { encode, mlpModel } from '../helpers/onnx-builders';

const dir = mkdtempSync(join(tmpdir(), 'lithe-search-'));
const service = createEngineService({ host: 'cli', runsFolder: join(dir, 'runs'), devicesFolder: join(dir, 'devices') });
const modelPath = join(dir, 'mlp.onnx');
writeFileSync(modelPath, encode(mlpModel()));

afterAll(async () => {
  await service.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('search.run', () => {
  it('builds, verifies and races candidates against the original, and never picks a candidate that is not faster', async () => {
    const outDir = join(dir, 'search');
    const report = await service.invoke('search.run', { model: modelPath, outDir, goal: 'fastest', pairs: 20 });
    expect(SearchReport.parse(report)).toBeTruthy();
    expect(report.candidates[0]).toMatchObject({ id: 'original', status: 'baseline', model: modelPath });
    const built = report.candidates.filter((c) => c.runDir !== undefined);
    expect(built.length).toBeGreaterThanOrEqual(3);
    for (const candidate of built) expect(existsSync(candidate.model)).toBe(true);
    for (const candidate of report.candidates.filter((c) => c.status === 'measured' || c.status === 'pruned')) {
      expect(candidate.speed?.pairs).toBeGreaterThanOrEqual(20);
      expect(candidate.fidelity?.cosine).toBeGreaterThanOrEqual(report.minCosine);
    }
    const chosen = report.candidates.find((c) => c.id === report.chosen.id);
    // The original is "no faster candidate", or, on a machine too busy to time any candidate in the budget, says that.
    if (report.chosen.isOriginal) {
      expect(report.chosen.model).toBe(modelPath);
      expect(report.chosen.label).toMatch(/^no faster candidate$|^no candidate measured in time$/);
    } else expect(chosen).toMatchObject({ status: 'measured', speed: { verdict: 'faster' } });
    expect(existsSync(report.chosen.model)).toBe(true);

    // int8 was profiled layer by layer against the float candidate: the layers kept in float (if any) are named.
    const int8 = report.candidates.find((c) => c.id === 'int8-static');
    const exceptSlow = report.candidates.find((c) => c.id === 'int8-static-except-slow');
    if (int8 && ['measured', 'pruned', 'skipped'].includes(int8.status)) {
      expect(exceptSlow?.layers?.length).toBeGreaterThan(0);
      expect(exceptSlow?.note).toMatch(/slower in int8/);
    }

    const csv = readFileSync(join(outDir, 'candidates.csv'), 'utf8').trim().split('\n');
    expect(csv[0]).toMatch(/^id,title,recipe,status,size_bytes/);
    expect(csv).toHaveLength(report.candidates.length + 1);
    expect(JSON.parse(readFileSync(join(outDir, 'candidates.json'), 'utf8'))).toMatchObject({ chosen: report.chosen });
  }, 300_000);

  it('refuses a folder that already holds files, and names it', async () => {
    const outDir = join(dir, 'busy');
    await import('node:fs/promises').then((fs) => fs.mkdir(outDir).then(() => fs.writeFile(join(outDir, 'keep.txt'), 'mine')));
    await expect(service.invoke('search.run', { model: modelPath, outDir })).rejects.toMatchObject({
      code: 'invalid-argument',
      file: outDir,
    });
    expect(readFileSync(join(outDir, 'keep.txt'), 'utf8')).toBe('mine');
  });

  it('refuses an unknown device at once, before building anything', async () => {
    const outDir = join(dir, 'nowhere');
    await expect(service.invoke('search.run', { model: modelPath, outDir, deviceId: 'nokia-3310' })).rejects.toMatchObject({
      code: 'invalid-argument',
      message: expect.stringMatching(/unknown device "nokia-3310"; one of: .*raspberry-pi-4/),
    });
    expect(existsSync(outDir)).toBe(false);
  });
});
