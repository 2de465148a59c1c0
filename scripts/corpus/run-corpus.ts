// Runs the corpus: every (model, operation) cell as its own job, a bounded number at once, each with a time limit.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { internalError, reasonOf } from '../../src/engine/errors';
import { JobRunner } from '../../src/engine/jobs/job-runner';
import { taskRef } from '../../src/engine/jobs/task-ref';
import type { CorpusEntry, CorpusFile, Measured, Operation } from './corpus-schema';
import { OPERATIONS } from './corpus-schema';
import type { CellArgs, tasks } from './corpus-cell';
import { judgeCell, type Judgement } from './judge-cell';

const REPO = join(import.meta.dirname, '..', '..');
const CELL_TASK = taskRef<typeof tasks, 'runCell'>(new URL('./corpus-cell.ts', import.meta.url).href, 'runCell');

/** How to run the corpus. */
export interface CorpusRunOptions {
  /** The shared models folder; without it only `npm:` models run. */
  modelsDir?: string;
  /** Glob(s) on the model key (`*` any run of characters, `?` one), comma-separated. */
  only?: string;
  ops?: readonly Operation[];
  /** Run only the operations each npm model lists under `ci`. */
  ci?: boolean;
  jobs?: number;
  /** Time limit of one cell (one operation on one model), seconds. */
  timeoutSeconds?: number;
  /**
   * Memory limit of one cell's process in MB. Default: the limit a job on that model gets in the app
   * (LITHE_MEMORY_LIMIT_MB, or one that grows with the model's file and activations: see job-memory-need.ts).
   */
  memoryLimitMb?: number;
  onCell?: (cell: CellResult, finished: number, total: number) => void;
}

/** One cell's result. */
export interface CellResult {
  model: string;
  operation: Operation;
  measured: Measured;
  judgement: Judgement;
}

/** The corpus entries to run, including models in the folder that the file does not list yet (as entries without expectations). */
export function selectEntries(corpus: CorpusFile, options: CorpusRunOptions): CorpusEntry[] {
  const listed = new Set(corpus.models.map((entry) => entry.model));
  const unlisted = options.modelsDir
    ? modelFilesUnder(options.modelsDir)
        .filter((model) => !listed.has(model))
        .map((model): CorpusEntry => ({ model, ops: {} }))
    : [];
  const matches = globMatcher(options.only);
  return [...corpus.models, ...unlisted].filter((entry) => {
    if (!matches(entry.model)) return false;
    if (entry.model.startsWith('npm:')) return true;
    return options.modelsDir !== undefined;
  });
}

/** Path of a corpus model key on this machine. */
export function modelPath(model: string, modelsDir: string | undefined): string {
  if (model.startsWith('npm:')) return join(REPO, 'node_modules', model.slice(4));
  return join(modelsDir ?? '.', model);
}

/** Runs every selected cell and judges it. */
export async function runCorpus(corpus: CorpusFile, options: CorpusRunOptions): Promise<CellResult[]> {
  const cells = selectEntries(corpus, options).flatMap((entry) => operationsOf(entry, options).map((operation) => ({ entry, operation })));
  const jobs = Math.max(1, options.jobs ?? 1);
  // Each cell runs in a child process of its own whose resident memory is watched: ONNX Runtime allocates natively,
  // out of sight of a worker thread's heap limit, and one runaway cell must end itself, not the machine.
  const runner = new JobRunner({
    concurrency: jobs,
    childTasks: new Set([CELL_TASK.taskName]),
    cancelGraceMs: 5000,
    ...(options.memoryLimitMb !== undefined ? { maxHeapMb: options.memoryLimitMb } : {}),
  });
  const scratch = join(tmpdir(), `lithe-corpus-${process.pid}`);
  const results: CellResult[] = [];
  let next = 0;
  // A fixed number of lanes take cells in order, so a cell's time limit starts when the cell does.
  const lane = async (): Promise<void> => {
    for (let index = next++; index < cells.length; index = next++) {
      const { entry, operation } = cells[index] ?? internalError('cell index out of range');
      const path = modelPath(entry.model, options.modelsDir);
      const measured = existsSync(path)
        ? await runOne(runner, cellArgs(path, operation, join(scratch, String(index))), options.timeoutSeconds ?? 900)
        : { outcome: 'failed' as const, reason: `the model file is missing: ${path}` };
      const result: CellResult = {
        model: entry.model,
        operation,
        measured,
        judgement: judgeCell(operation, measured, entry.ops[operation]),
      };
      results[index] = result;
      options.onCell?.(result, results.filter(Boolean).length, cells.length);
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(jobs, cells.length) }, lane));
  } finally {
    await runner.close();
  }
  return results;
}

function cellArgs(model: string, operation: Operation, workDir: string): CellArgs {
  return operation === 'inspect' || operation === 'convert'
    ? { model, operation, workDir }
    : { model, operation, workDir, recipe: operation };
}

function operationsOf(entry: CorpusEntry, options: CorpusRunOptions): Operation[] {
  const wanted = options.ci ? (entry.ci ?? (Object.keys(entry.ops) as Operation[])) : (options.ops ?? OPERATIONS);
  return OPERATIONS.filter((operation) => wanted.includes(operation));
}

async function runOne(runner: JobRunner, args: CellArgs, timeoutSeconds: number): Promise<Measured> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutSeconds * 1000);
  const started = performance.now();
  const seconds = (): number => Math.round((performance.now() - started) / 100) / 10;
  // The cell's own catch turns the cancel into an ordinary result ("The job was cancelled."): the time limit is the reason.
  const timedOut = (): Measured => ({ outcome: 'timeout', reason: `the time limit (${timeoutSeconds} s) was reached`, seconds: seconds() });
  try {
    const measured = await runner.run(CELL_TASK, args, { signal: controller.signal });
    return controller.signal.aborted ? timedOut() : measured;
  } catch (error) {
    if (controller.signal.aborted) return timedOut();
    return { outcome: 'failed', reason: `the cell's process failed: ${reasonOf(error)}`, seconds: seconds() };
  } finally {
    clearTimeout(timer);
  }
}

/** Every .onnx/.tflite file under `dir`, as keys relative to it (sorted). */
function modelFilesUnder(dir: string): string[] {
  const out: string[] = [];
  const walk = (folder: string): void => {
    for (const name of readdirSync(folder).sort()) {
      const path = join(folder, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (/\.(onnx|tflite)$/i.test(name)) out.push(relative(dir, path).split('\\').join('/'));
    }
  };
  walk(dir);
  return out;
}

function globMatcher(globs: string | undefined): (key: string) => boolean {
  if (!globs) return () => true;
  const patterns = globs.split(',').map((glob) => {
    const body = glob
      .trim()
      .split('')
      .map((ch) => (ch === '*' ? '.*' : ch === '?' ? '.' : ch.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
      .join('');
    return new RegExp(`^${body}$`);
  });
  return (key) => patterns.some((pattern) => pattern.test(key) || pattern.test(key.split('/').pop() ?? key));
}
