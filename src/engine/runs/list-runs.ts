import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { BatchSummary, OptimizeReport, RunFailure, RunRequest, RunSpeed, SearchReport, type RunEntry, type RunList } from '../../contract';
import { SPEED_FILE } from './record-speed';
import { FAILURE_FILE, REQUEST_FILE, SEARCH_FILE } from './run-records';

/** The runs in `folder` (each a folder with `report.json`, `failure.json`, `batch-summary.json` or a search's `candidates.json`), newest first. */
export async function listRuns(folder: string): Promise<RunList> {
  const runs: RunEntry[] = [];
  const skipped: RunList['skipped'] = [];
  const names = await readdir(folder, { withFileTypes: true }).catch(() => []);
  for (const entry of names) {
    if (!entry.isDirectory() || entry.name.startsWith('.')) continue;
    const dir = join(folder, entry.name);
    const found = await readRun(dir);
    if ('reason' in found) {
      if (found.reason) skipped.push({ dir, reason: found.reason });
    } else runs.push(found);
  }
  runs.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  return { folder, runs, skipped };
}

async function readRun(dir: string): Promise<RunEntry | { reason: string }> {
  const report = await readJson(join(dir, 'report.json'));
  if (report !== undefined) {
    if ((report as { schema?: unknown }).schema === 'lithe.train/1')
      return { reason: 'a training run (open its report.html; the runs list shows optimizations and batches)' };
    const parsed = OptimizeReport.safeParse(report);
    if (!parsed.success) return { reason: 'report.json is not a Lithe report (or from another version).' };
    const request = RunRequest.safeParse(await readJson(join(dir, REQUEST_FILE)));
    // A speed check that does not parse (another version, damaged) is left out: the run is still listed.
    const speed = RunSpeed.safeParse(await readJson(join(dir, SPEED_FILE)));
    return {
      kind: 'optimize',
      dir,
      createdAt: parsed.data.createdAt,
      report: parsed.data,
      ...(request.success ? { request: request.data } : {}),
      ...(speed.success ? { speed: speed.data } : {}),
    };
  }
  const failure = await readJson(join(dir, FAILURE_FILE));
  if (failure !== undefined) {
    const parsed = RunFailure.safeParse(failure);
    return parsed.success
      ? { kind: 'failed', dir, createdAt: parsed.data.createdAt, failure: parsed.data }
      : { reason: `${FAILURE_FILE} is not a Lithe failure record.` };
  }
  const summary = await readJson(join(dir, 'batch-summary.json'));
  if (summary !== undefined) {
    const parsed = BatchSummary.safeParse(summary);
    return parsed.success
      ? { kind: 'batch', dir, createdAt: parsed.data.startedAt, summary: parsed.data }
      : { reason: 'batch-summary.json is not a Lithe batch summary.' };
  }
  const search = await readJson(join(dir, SEARCH_FILE));
  if (search !== undefined) {
    const parsed = SearchReport.safeParse(search);
    return parsed.success
      ? { kind: 'search', dir, createdAt: parsed.data.createdAt, report: parsed.data }
      : { reason: `${SEARCH_FILE} is not a Lithe search summary (or from another version).` };
  }
  return { reason: '' };
}

async function readJson(path: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT' ? undefined : { unreadable: true };
  }
}
