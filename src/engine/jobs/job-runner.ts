import { cpus } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { EngineContext } from '../context';
import type { ErrorInfo } from '../errors';
import type { JobStart, ParentToWorker, WorkerToParent } from './protocol';
import { workerSource } from './worker-source';
import { entryUrl } from '../entry-url';

/** A task a job runs: an exported async function `(args, ctx) => result` of a module. */
export interface TaskRef {
  moduleUrl: string;
  exportName: string;
}

/** Settings of a {@link JobRunner}. */
export interface JobRunnerOptions {
  /** Jobs that run at once; the rest wait in order. Default: cores − 1, at least 1. */
  concurrency?: number;
  /** How long a cancelled job may take to stop by itself before its worker is terminated. */
  cancelGraceMs?: number;
  /** Per-worker heap limit in MB (a worker that exceeds it fails its job only). */
  maxHeapMb?: number;
}

/** The failure of one job, carrying the engine's error info. */
export class JobError extends Error {
  readonly info: ErrorInfo;
  constructor(info: ErrorInfo) {
    super(info.message);
    this.name = 'JobError';
    this.info = info;
  }
}

const JOB_WORKER = entryUrl(import.meta.url, './job-worker.ts');

/**
 * Runs tasks in worker threads, one fresh worker per job: progress flows back as events, cancellation
 * is cooperative first (the task's AbortSignal) and forced after a grace period, and a worker that
 * crashes or is killed fails only its own job.
 */
export class JobRunner {
  private readonly concurrency: number;
  private readonly cancelGraceMs: number;
  private readonly maxHeapMb: number | undefined;
  private running = 0;
  private readonly waiting: Array<() => void> = [];
  private readonly workers = new Set<Worker>();

  constructor(options: JobRunnerOptions = {}) {
    this.concurrency = Math.max(1, options.concurrency ?? cpus().length - 1);
    this.cancelGraceMs = options.cancelGraceMs ?? 2000;
    this.maxHeapMb = options.maxHeapMb;
  }

  /** Runs `task` with `args`; resolves with its result or rejects with a {@link JobError}. */
  async run<Result>(task: TaskRef, args: unknown, ctx: EngineContext = {}): Promise<Result> {
    if (ctx.signal?.aborted) throw new JobError({ code: 'cancelled', message: 'The job was cancelled.' });
    await this.acquire();
    try {
      return await this.runInWorker<Result>(task, args, ctx);
    } finally {
      this.release();
    }
  }

  /** Terminates every running worker. */
  async close(): Promise<void> {
    await Promise.all([...this.workers].map((worker) => worker.terminate()));
  }

  private runInWorker<Result>(task: TaskRef, args: unknown, ctx: EngineContext): Promise<Result> {
    return new Promise<Result>((resolve, reject) => {
      if (ctx.signal?.aborted) {
        reject(new JobError({ code: 'cancelled', message: 'The job was cancelled.' }));
        return;
      }
      const start: JobStart = { moduleUrl: task.moduleUrl, exportName: task.exportName, args };
      const source = workerSource(JOB_WORKER);
      const worker = new Worker(source.source, {
        eval: source.eval,
        workerData: start,
        resourceLimits: this.maxHeapMb ? { maxOldGenerationSizeMb: this.maxHeapMb } : undefined,
      });
      this.workers.add(worker);
      let settled = false;
      let cancelled = false;
      let killTimer: NodeJS.Timeout | undefined;

      const finish = (outcome: { result: Result } | { error: ErrorInfo }): void => {
        if (settled) return;
        settled = true;
        clearTimeout(killTimer);
        ctx.signal?.removeEventListener('abort', onAbort);
        this.workers.delete(worker);
        if ('error' in outcome) reject(new JobError(outcome.error));
        else resolve(outcome.result);
      };
      const onAbort = (): void => {
        cancelled = true;
        worker.postMessage({ type: 'cancel' } satisfies ParentToWorker);
        killTimer = setTimeout(() => {
          finish({ error: { code: 'cancelled', message: 'The job was cancelled (stopped by force).' } });
          void worker.terminate();
        }, this.cancelGraceMs);
      };
      ctx.signal?.addEventListener('abort', onAbort, { once: true });

      worker.on('message', (message: WorkerToParent) => {
        if (message.type === 'progress') ctx.onProgress?.(message.progress);
        else if (message.type === 'result') finish({ result: message.result as Result });
        else finish({ error: cancelled ? { code: 'cancelled', message: 'The job was cancelled.' } : message.error });
      });
      worker.on('error', (error) => {
        finish({ error: { code: 'runtime-failed', message: `The job's worker failed: ${error.message}` } });
      });
      worker.on('exit', (code) => {
        this.workers.delete(worker);
        if (cancelled) finish({ error: { code: 'cancelled', message: 'The job was cancelled.' } });
        else finish({ error: { code: 'runtime-failed', message: `The job's worker stopped unexpectedly (exit code ${code}).` } });
      });
    });
  }

  private acquire(): Promise<void> {
    if (this.running < this.concurrency) {
      this.running++;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiting.push(() => resolve()));
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.running--;
  }
}
