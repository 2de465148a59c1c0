import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LitheError } from '../../../src/engine/errors';
import { deleteRun } from '../../../src/engine/runs/delete-run';
import { listRuns } from '../../../src/engine/runs/list-runs';
import { recordFailure } from '../../../src/engine/runs/run-records';

describe('run records', () => {
  it('lists a failed and a cancelled optimization with what was asked and why it stopped', async () => {
    const runs = mkdtempSync(join(tmpdir(), 'lithe-runs-'));
    const args = { model: '/models/net.onnx', recipe: 'int8-static', data: '/data/images', outDir: join(runs, 'a') };
    await recordFailure(join(runs, 'a'), args, new LitheError('verification-failed', 'the step changed the results'), false);
    await recordFailure(join(runs, 'b'), { ...args, outDir: join(runs, 'b') }, new LitheError('cancelled', 'Cancelled.'), true);
    const list = await listRuns(runs);
    expect(list.skipped).toEqual([]);
    expect(list.runs.map((run) => run.kind)).toEqual(['failed', 'failed']);
    const failed = list.runs.find((run) => run.dir === join(runs, 'a'));
    expect(failed?.kind === 'failed' && failed.failure).toMatchObject({
      cancelled: false,
      request: { model: '/models/net.onnx', recipe: 'int8-static', data: '/data/images' },
      error: { code: 'verification-failed', message: 'the step changed the results' },
    });
    expect(failed?.kind === 'failed' && 'outDir' in failed.failure.request).toBe(false);
  });

  it('deletes only run folders directly inside the runs folder', async () => {
    const runs = mkdtempSync(join(tmpdir(), 'lithe-runs-'));
    const run = join(runs, 'run');
    await recordFailure(run, { model: '/m.onnx', recipe: 'graph' }, new Error('boom'), false);
    const plain = join(runs, 'photos');
    mkdirSync(plain);
    writeFileSync(join(plain, 'a.jpg'), 'x');
    const outside = mkdtempSync(join(tmpdir(), 'lithe-elsewhere-'));
    writeFileSync(join(outside, 'report.json'), '{}');

    await expect(deleteRun(runs, outside)).rejects.toThrow(/Only runs in the runs folder/);
    await expect(deleteRun(runs, plain)).rejects.toThrow(/holds no Lithe run/);
    await expect(deleteRun(runs, join(runs, 'gone'))).rejects.toThrow(/does not exist/);
    await expect(deleteRun(runs, join(run, '..', '..', 'x'))).rejects.toThrow();
    expect(await deleteRun(runs, run)).toEqual({ deleted: run });
    expect(existsSync(run)).toBe(false);
    expect(existsSync(plain) && existsSync(outside)).toBe(true);
  });
});
