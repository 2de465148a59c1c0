import { existsSync } from 'node:fs';
import { realpath, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { LitheError } from '../errors';
import { FAILURE_FILE } from './run-records';

const RUN_FILES = ['report.json', 'batch-summary.json', FAILURE_FILE];

/**
 * Deletes the run folder `dir`: only a folder directly inside `runsFolder` that holds a run's record
 * (a report, a batch summary or a failure), so nothing else can be removed this way.
 */
export async function deleteRun(runsFolder: string, dir: string): Promise<{ deleted: string }> {
  const real = await realpath(dir).catch(() => {
    throw new LitheError('not-found', 'This run folder does not exist (it may have been deleted already).', { file: dir });
  });
  const folder = await realpath(runsFolder).catch(() => runsFolder);
  if (dirname(real) !== folder)
    throw new LitheError('invalid-argument', `Only runs in the runs folder (${folder}) can be deleted here.`, { file: dir });
  if (!RUN_FILES.some((name) => existsSync(join(real, name))))
    throw new LitheError('invalid-argument', 'This folder holds no Lithe run, so Lithe does not delete it.', { file: dir });
  await rm(real, { recursive: true, force: true });
  return { deleted: dir };
}
