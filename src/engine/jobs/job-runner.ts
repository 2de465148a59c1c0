import type { ChildProcess } from 'node:child_process';
import { cpus } from 'node:os';
import { Worker } from 'node:worker_threads';
import { CommandError } from '../../contract/errors';
import type { EngineContext } from '../context';
import { entryUrl } from '../entry-url';
import { channelDrained, childEntryExists, forkEngineChild, reapChild } from './fork-child';
import { jobFile, jobMemoryLimitBytes, memoryCapBytes, processRssBytes } from './memory-limit';
import { createNativeGate } from './native-gate';
import type { ChildJobRequest, JobStart, WorkerJobData } from './protocol';
import { terminateJobWorker } from './stop-worker';
import { childSupervisee, supervise, workerSupervisee, type MemoryWatch } from './supervise';
import type { TaskRef } from './task-ref';
import { JobTemporaries } from './temporaries';
import { workerSource } from './worker-source';

/** Settings of a {@link JobRunner}. */
export interface JobRunnerOptions {
  /** Jobs that run at once; the rest wait in order. Default: cores − 1, at least 1. */
  concurrency?: number;
  /** How long a cancelled job may take to stop by itself before its worker is terminated. */
  cancelGraceMs?: number;
  /** Memory limit of a job in MB, instead of the one `jobMemoryLimitBytes` and the job's own estimate give. */
  maxHeapMb?: number;
  /**
   * Names of tasks that run in a child process of their own instead of a worker thread: those whose
   * native memory (ONNX Runtime's) must be bounded. The process's resident memory is watched and it
   * is stopped when it passes the job's limit; a worker thread gets the V8 heap limit only.
   */
  childTasks?: ReadonlySet<string>;
}

const JOB_WORKER = entryUrl(import.meta.url, './job-worker.ts');
const JOB_CHILD = entryUrl(import.meta.url, './job-child.ts');
/** How long closing the runner waits for a worker's native call to end before it terminates the worker anyway. */
const CLOSE_WAIT_MS = 10_000;

/**
 * Runs tasks in worker threads, one fresh worker per job, at most `concurrency` at once: progress
 * flows back as events, cancellation is cooperative first and forced after a grace period (see
 * `supervise`), and a worker that crashes or is killed fails only its own job. Once a job is gone,
 * the hidden folders it was writing are removed (see temporaries.ts).
 */
export class JobRunner {
  /** Jobs that run at once. */
  readonly concurrency: number;
  private readonly cancelGraceMs: number;
  private readonly maxHeapMb: number | undefined;
  private readonly childTasks: ReadonlySet<string>;
  private running = 0;
  private readonly waiting: Array<() => void> = [];
  /** Running workers and the gates of their native calls. */
  private readonly workers = new Map<Worker, SharedArrayBuffer>();
  private readonly children = new Set<ChildProcess>();
  /** Jobs under way, until they are gone and their hidden folders removed. */
  private readonly inFlight = new Set<Promise<unknown>>();
  private closed = false;

  constructor(options: JobRunnerOptions = {}) {
    this.concurrency = Math.max(1, options.concurrency ?? cpus().length - 1);
    this.cancelGraceMs = options.cancelGraceMs ?? 2000;
    this.maxHeapMb = options.maxHeapMb;
    this.childTasks = options.childTasks ?? new Set();
  }

  /** Runs `task` with `args`; resolves with its result or rejects with a {@link CommandError}. */
  async run<Args, Result>(task: TaskRef<Args, Result>, args: Args, ctx: EngineContext = {}): Promise<Result> {
    if (ctx.signal?.aborted || this.closed) throw new CommandError({ code: 'cancelled', message: 'The job was cancelled.' });
    await this.acquire();
    try {
      if (ctx.signal?.aborted || this.closed) throw new CommandError({ code: 'cancelled', message: 'The job was cancelled.' });
      const start: JobStart = { moduleUrl: task.moduleUrl, taskName: task.taskName, args };
      // A child process raises its limit by its model's activations once it runs; a fixed limit stays as it is.
      const limitBytes = this.maxHeapMb !== undefined ? this.maxHeapMb * 1024 ** 2 : jobMemoryLimitBytes(args);
      const raise = this.maxHeapMb === undefined ? { raiseUpToBytes: memoryCapBytes() } : {};
      const memory: MemoryWatch = { limitBytes, file: jobFile(args), ...raise };
      const job =
        this.childTasks.has(task.taskName) && childEntryExists(JOB_CHILD)
          ? this.runInChild<Result>(start, memory, ctx)
          : this.runInWorker<Result>(start, memory, ctx);
      this.inFlight.add(job);
      try {
        return await job;
      } finally {
        this.inFlight.delete(job);
      }
    } finally {
      this.release();
    }
  }

  /**
   * Terminates every running worker (between its native calls, waiting for one at most CLOSE_WAIT_MS;
   * its children reaped) and child process, and resolves once their jobs are gone and the hidden
   * folders they were writing removed. Jobs still waiting for a slot are cancelled.
   */
  async close(): Promise<void> {
    this.closed = true;
    for (const child of this.children) child.kill('SIGKILL');
    await Promise.all([...this.workers].map(([worker, gate]) => terminateJobWorker(worker, gate, CLOSE_WAIT_MS)));
    await Promise.allSettled([...this.inFlight]);
  }

  private async runInWorker<Result>(start: JobStart, memory: MemoryWatch, ctx: EngineContext): Promise<Result> {
    const source = workerSource(JOB_WORKER);
    const nativeGate = createNativeGate();
    const workerData: WorkerJobData = { start, nativeGate };
    const worker = new Worker(source.source, {
      eval: source.eval,
      workerData,
      resourceLimits: { maxOldGenerationSizeMb: Math.max(64, Math.round(memory.limitBytes / 1024 ** 2)) },
    });
    this.workers.set(worker, nativeGate);
    // Every message a worker posted has been delivered by its 'exit'.
    const temporaries = new JobTemporaries(process.pid);
    let exited = false;
    worker.once('exit', () => {
      exited = true;
      this.workers.delete(worker);
    });
    try {
      return await supervise<Result>(workerSupervisee(worker, nativeGate), ctx, {
        cancelGraceMs: this.cancelGraceMs,
        memory,
        onTemporary: (path) => temporaries.add(path),
      });
    } finally {
      this.workers.delete(worker);
      // A killed worker is gone by now; one that answered ends soon, and what it leaves is removed then.
      if (exited) await temporaries.remove();
      else worker.once('exit', () => void temporaries.remove());
    }
  }

  private async runInChild<Result>(start: JobStart, memory: MemoryWatch, ctx: EngineContext): Promise<Result> {
    const child = forkEngineChild(JOB_CHILD, memory.limitBytes);
    const temporaries = new JobTemporaries(child.pid);
    this.children.add(child);
    child.once('exit', () => this.children.delete(child));
    const rssBytes = (): number | undefined => (child.pid === undefined ? undefined : processRssBytes(child.pid));
    const done = supervise<Result>(childSupervisee(child, 'the job process'), ctx, {
      cancelGraceMs: this.cancelGraceMs,
      memory: { ...memory, rssBytes },
      onTemporary: (path) => temporaries.add(path),
    });
    const request: ChildJobRequest = { type: 'start', start };
    child.send(request);
    try {
      return await done;
    } finally {
      // It exits by itself once it has answered; the job ends once it is gone and reaped, and what
      // it was writing when it was killed is removed.
      await reapChild(child, this.cancelGraceMs);
      this.children.delete(child);
      await channelDrained(child);
      await temporaries.remove();
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
