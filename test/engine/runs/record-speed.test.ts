import { readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { BenchCompareResult } from '../../../src/contract';
import { createEngineService } from '../../../src/engine/service';
import { matmulChain, modelFolder } from '../bench/tiny-models';

// A speed check made from a run's page is kept with the run: a reload shows the measurement, not "Not measured".
const folder = modelFolder();
const runsFolder = join(folder, 'runs');
const service = createEngineService({ host: 'web', devicesFolder: join(folder, 'devices'), runsFolder });
const model = matmulChain(folder, 'chain.onnx', 3, 32);
afterAll(async () => {
  await service.close();
  rmSync(folder, { recursive: true, force: true });
});

describe('runs.recordSpeed', { timeout: 180_000 }, () => {
  let compared: BenchCompareResult;
  let runDir = '';

  it('keeps the comparison of a run’s original and result, and runs.list returns it', async () => {
    const report = await service.invoke('optimize.run', { model, recipe: 'int8-dynamic' });
    runDir = report.runDir;
    compared = await service.invoke('bench.compare', { a: { model }, b: { model: report.output.path }, pairs: 10, warmupRuns: 1 });
    const kept = await service.invoke('runs.recordSpeed', { dir: runDir, result: compared });
    expect(kept.result.summary).toBe(compared.summary);
    const list = await service.invoke('runs.list', {});
    const run = list.runs.find((entry) => entry.dir === runDir);
    expect(run?.kind === 'optimize' && run.speed?.result.ratio).toEqual(compared.ratio);
    expect(run?.kind === 'optimize' && run.speed?.measuredAt).toBe(kept.measuredAt);
    // Written through a temporary name: nothing half-written is left beside it.
    expect(readdirSync(runDir).filter((name) => name.includes('partial'))).toEqual([]);
  });

  it('refuses a comparison of another model, and a folder outside the runs folder', async () => {
    const other = { ...compared, b: { ...compared.b, model } };
    await expect(service.invoke('runs.recordSpeed', { dir: runDir, result: other })).rejects.toThrow(/not this run's optimized model/);
    await expect(service.invoke('runs.recordSpeed', { dir: folder, result: compared })).rejects.toThrow(/Only runs in the runs folder/);
  });

  it('lists the run without its speed check when speed.json is damaged', async () => {
    writeFileSync(join(runDir, 'speed.json'), '{"schema": "lithe.speed/1"');
    const run = (await service.invoke('runs.list', {})).runs.find((entry) => entry.dir === runDir);
    expect(run?.kind).toBe('optimize');
    expect(run?.kind === 'optimize' && run.speed).toBeUndefined();
  });
});
