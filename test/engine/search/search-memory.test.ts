import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { engineSearchDeps } from '../../../src/engine/search/search-task';
import { createEngineService } from '../../../src/engine/service';
import { encode, expandBranchesModel } from '../helpers/onnx-builders';

// A search runs in a worker thread, whose heap limit does not see ONNX Runtime's native memory. Its
// candidates' optimize runs hold the model in ONNX Runtime (folding, verifying), so they run in
// child processes whose resident memory is watched, as every optimize job: a 1 KB model whose four
// Expand branches need 1 GB fails each candidate at a 600 MB limit instead of growing the host.
const dir = mkdtempSync(join(tmpdir(), 'lithe-search-memory-'));
const service = createEngineService({ host: 'cli', runsFolder: join(dir, 'runs'), devicesFolder: join(dir, 'devices') });
const limit = process.env['LITHE_MEMORY_LIMIT_MB'];

afterEach(() => {
  if (limit === undefined) delete process.env['LITHE_MEMORY_LIMIT_MB'];
  else process.env['LITHE_MEMORY_LIMIT_MB'] = limit;
});
afterAll(async () => {
  await service.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('search.run candidates', () => {
  it('are built in watched child processes: one that needs more memory than the limit fails alone', async () => {
    const model = join(dir, 'expand.onnx');
    writeFileSync(model, encode(expandBranchesModel()));
    process.env['LITHE_MEMORY_LIMIT_MB'] = '600';
    const report = await service.invoke('search.run', { model, outDir: join(dir, 'search'), goal: 'fastest', pairs: 20 });
    const built = report.candidates.filter((c) => c.id !== 'original');
    expect(built.length).toBeGreaterThan(0);
    for (const candidate of built) expect(candidate.note ?? '').toMatch(/needs more than 0\.6 GB of memory|not usable/);
    expect(report.chosen.isOriginal).toBe(true);
  }, 300_000);

  it('check derived candidates, profile layers and estimate devices in watched child processes too', async () => {
    const model = join(dir, 'expand-parts.onnx');
    writeFileSync(model, encode(expandBranchesModel()));
    process.env['LITHE_MEMORY_LIMIT_MB'] = '600';
    const tooBig = { message: expect.stringMatching(/needs more than 0\.6 GB of memory/) };
    await expect(engineSearchDeps.verify(model, model, {})).rejects.toMatchObject(tooBig);
    await expect(engineSearchDeps.layerSpeed?.(model, model, 1, {})).rejects.toMatchObject(tooBig);
    await expect(engineSearchDeps.estimate(model, 'raspberry-pi-4', join(dir, 'devices'), {})).rejects.toMatchObject(tooBig);
  }, 300_000);
});
