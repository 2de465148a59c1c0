import { rm } from 'node:fs/promises';
import { checkedRunFolder } from './run-folder-check';

/**
 * Deletes the run folder `dir`: only a folder directly inside `runsFolder` that holds a run's record
 * (a report, a batch summary or a failure), so nothing else can be removed this way.
 */
export async function deleteRun(runsFolder: string, dir: string): Promise<{ deleted: string }> {
  const real = await checkedRunFolder(runsFolder, dir, 'deleted');
  await rm(real, { recursive: true, force: true });
  return { deleted: dir };
}
