import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { OptimizeArgs, RunFailure, RunRequest } from '../../contract';
import { toErrorInfo } from '../errors';

/** Names of the files that record a run's request and its failure, beside its report. */
export const REQUEST_FILE = 'request.json';
export const FAILURE_FILE = 'failure.json';
/** The summary a search writes into its folder (`search.run`). */
export const SEARCH_FILE = 'candidates.json';

/** The request of an optimization without its output folder: what to ask again to run it again. */
export function runRequest(args: OptimizeArgs): RunRequest {
  const { outDir: _outDir, ...request } = args;
  return request;
}

/** Writes `request.json` into the finished run folder `dir`. */
export async function recordRequest(dir: string, args: OptimizeArgs): Promise<void> {
  await writeFile(join(dir, REQUEST_FILE), `${JSON.stringify(runRequest(args), null, 2)}\n`);
}

/**
 * Records in `dir` (created when missing) that the optimization asked with `args` stopped with `error`,
 * so the runs list shows it with its reason and can run it again.
 */
export async function recordFailure(dir: string, args: OptimizeArgs, error: unknown, cancelled: boolean): Promise<void> {
  const failure: RunFailure = {
    schema: 'lithe.failure/1',
    createdAt: new Date().toISOString(),
    request: runRequest(args),
    cancelled,
    error: toErrorInfo(error),
  };
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, FAILURE_FILE), `${JSON.stringify(failure, null, 2)}\n`);
}
