import { basename, extname, join } from 'node:path';
import { defaultRunsFolder, newRunName } from '../engine/service';

/**
 * The run folder a command writes to when `-o` is not given: a new folder in the runs folder the
 * app's Runs page lists (`$LITHE_RUNS_DIR`, else `~/.local/share/lithe/runs`), named by time, model
 * and what was done: `2026-12-03T17-40-05-model-int8-static`.
 */
export function defaultRunFolder(model: string, what: string): string {
  const stem = basename(model, extname(model));
  const label = basename(what, extname(what));
  return join(defaultRunsFolder(), newRunName(stem, label));
}
