import { cpus } from 'node:os';
import { Worker } from 'node:worker_threads';
import { CommandError } from '../../contract/errors';
import type { EngineContext } from '../context';
import { entryUrl } from '../entry-url';
import type { JobStart } from './protocol';
import { supervise, workerSupervisee } from './supervise';
import type { TaskRef } from './task-ref';
import { workerSource } from './worker-source';

/** Settings of a {@link JobRunner}. */
export interface JobRunnerOptions {
  /** Jobs that run at once; the rest wait in order. Default: cores − 1, at least 1. */
  concurrency?: number;
  /** How long a cancelled job may take to stop by itself before its worker is terminated. */
  cancelGraceMs?: number;
  /** Per-worker heap limit in MB (a worker that exceeds it fails its job only). */
  maxHeapMb?: number;
}

const JOB_WORKER = entryUrl(import.meta.url, './job-worker.ts');

/**
 * Runs tasks in worker threads, one fresh worker per job, at most `concurrency` at once: progress
 * flows back as events, cancellation is cooperative first and forced after a grace period (see
 * `supervise`), and a worker that crashes or is killed fails only its own job.
 */
export class JobRunner {
  /** Jobs that run at once. */
  readonly concurrency: number;
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

  /** Runs `task` with `args`; resolves with its result or rejects with a {@link CommandError}. */
  async run<Args, Result>(task: TaskRef<Args, Result>, args: Args, ctx: EngineContext = {}): Promise<Result> {
    if (ctx.signal?.aborted) throw new CommandError({ code: 'cancelled', message: 'The job was cancelled.' });
    await this.acquire();
    try {
      if (ctx.signal?.aborted) throw new CommandError({ code: 'cancelled', message: 'The job was cancelled.' });
      return await this.runInWorker(task, args, ctx);
    } finally {
      this.release();
    }
  }

  /** Terminates every running worker. */
  async close(): Promise<void> {
    await Promise.all([...this.workers].map((worker) => worker.terminate()));
  }

  private async runInWorker<Args, Result>(task: TaskRef<Args, Result>, args: Args, ctx: EngineContext): Promise<Result> {
    const start: JobStart = { moduleUrl: task.moduleUrl, taskName: task.taskName, args };
    const source = workerSource(JOB_WORKER);
    const worker = new Worker(source.source, {
      eval: source.eval,
      workerData: start,
      resourceLimits: this.maxHeapMb ? { maxOldGenerationSizeMb: this.maxHeapMb } : undefined,
    });
    this.workers.add(worker);
    worker.once('exit', () => this.workers.delete(worker));
    try {
      return await supervise<Result>(workerSupervisee(worker), ctx, { cancelGraceMs: this.cancelGraceMs });
    } finally {
      this.workers.delete(worker);
    }
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
