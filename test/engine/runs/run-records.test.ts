import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LitheError } from '../../../src/engine/errors';
import { deleteRun } from '../../../src/engine/runs/delete-run';
import { listRuns } from '../../../src/engine/runs/list-runs';
import { recordFailure } from '../../../src/engine/runs/run-records';
import { candidateOf, searchReportOf } from '../../helpers/search-report';

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

  it('lists a search with its summary, and deletes it like any run', async () => {
    const runs = mkdtempSync(join(tmpdir(), 'lithe-runs-'));
    const dir = join(runs, 'search');
    mkdirSync(dir);
    const original = candidateOf('original', 'baseline', 1000, { runDir: undefined });
    const chosen = { id: 'original', model: '/models/m.onnx', label: 'no faster candidate', reason: 'none was', isOriginal: true };
    writeFileSync(join(dir, 'candidates.json'), JSON.stringify(searchReportOf(chosen, [original], 'fastest', dir)));
    // A search still running has no candidates.json yet: not listed, and not a problem either.
    mkdirSync(join(runs, 'running', 'candidates'), { recursive: true });
    const list = await listRuns(runs);
    expect(list.skipped).toEqual([]);
    expect(list.runs.map((run) => [run.kind, run.dir])).toEqual([['search', dir]]);
    expect(list.runs[0]?.kind === 'search' && list.runs[0].report.chosen.label).toBe('no faster candidate');
    expect(await deleteRun(runs, dir)).toEqual({ deleted: dir });
    expect(existsSync(dir)).toBe(false);
  });
});
