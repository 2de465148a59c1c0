import { existsSync } from 'node:fs';
import { realpath } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { LitheError } from '../errors';
import { FAILURE_FILE, SEARCH_FILE } from './run-records';

/** Files that make a folder a Lithe run: a report, a batch summary, a failure record or a search's summary. */
export const RUN_FILES = ['report.json', 'batch-summary.json', FAILURE_FILE, SEARCH_FILE];

/**
 * The real path of `dir` when it is a run folder directly inside `runsFolder` holding one of `records`
 * (default: any run's record); else a LitheError that says why, with `doing` naming the action
 * ("deleted", "given a speed check").
 */
export async function checkedRunFolder(runsFolder: string, dir: string, doing: string, records = RUN_FILES): Promise<string> {
  const real = await realpath(dir).catch(() => {
    throw new LitheError('not-found', 'This run folder does not exist (it may have been deleted already).', { file: dir });
  });
  const folder = await realpath(runsFolder).catch(() => runsFolder);
  if (dirname(real) !== folder)
    throw new LitheError('invalid-argument', `Only runs in the runs folder (${folder}) can be ${doing} here.`, { file: dir });
  if (!records.some((name) => existsSync(join(real, name))))
    throw new LitheError('invalid-argument', `This folder holds no Lithe run of that kind, so Lithe does not change it.`, { file: dir });
  return real;
}
