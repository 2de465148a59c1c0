import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { BatchSummary } from '../../../src/contract';
import { writeSummaryFiles } from '../../../src/engine/batch/summary-files';
import { LitheError } from '../../../src/engine/errors';
import { diskFailure, writeProblem } from '../../../src/engine/files/write-failure';

const dir = mkdtempSync(join(tmpdir(), 'lithe-write-failure-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const emptySummary = (outDir: string): BatchSummary => ({
  schema: 'lithe.batch/1',
  inputDir: dir,
  outDir,
  recipe: 'graph',
  startedAt: '2026-01-01T00:00:00Z',
  finishedAt: '2026-01-01T00:00:01Z',
  counts: { done: 0, skipped: 0, failed: 0 },
  items: [],
});

const errno = (code: string): NodeJS.ErrnoException => Object.assign(new Error(`${code}: no space left on device, write`), { code });

describe('a failed write, in words and naming the file', () => {
  it('says the disk is full, over quota or read-only, with the system’s code', () => {
    expect(writeProblem(errno('ENOSPC'))).toBe('the disk is full (ENOSPC)');
    expect(writeProblem(errno('EROFS'))).toBe('the disk is read-only (EROFS)');
    expect(writeProblem(errno('EACCES'))).toBe('permission denied (EACCES)');
    const failure = diskFailure(errno('EDQUOT'), '/runs/a', 'the run folder');
    expect(failure).toBeInstanceOf(LitheError);
    expect((failure as LitheError).message).toBe('/runs/a: the run folder could not be written: the disk quota is used up (EDQUOT)');
    // Not a disk error: left as it is, so a reading problem is never blamed on the output.
    const other = errno('EACCES');
    expect(diskFailure(other, '/runs/a', 'the run folder')).toBe(other);
  });

  it('a batch summary that cannot be written names its file and leaves no temporary file', async () => {
    const outDir = join(dir, 'out');
    mkdirSync(join(outDir, 'batch-summary.json'), { recursive: true }); // a folder in the way
    await expect(writeSummaryFiles(emptySummary(outDir))).rejects.toThrow(
      /batch-summary\.json: the batch summary could not be written: a folder of that name is in the way/,
    );
    expect(readdirSync(outDir)).toEqual(['batch-summary.json']);
  });

  it('a batch with no models still writes its summary into a new output folder', async () => {
    const outDir = join(dir, 'new', 'out');
    await writeSummaryFiles(emptySummary(outDir));
    expect(readdirSync(outDir).sort()).toEqual(['batch-summary.csv', 'batch-summary.html', 'batch-summary.json']);
  });
});
