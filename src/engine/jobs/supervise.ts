import type { ChildProcess } from 'node:child_process';
import { stripVTControlCharacters } from 'node:util';
import type { Worker } from 'node:worker_threads';
import { CommandError, ErrorInfo } from '../../contract/errors';
import type { EngineContext } from '../context';
import { isHeapExhaustion, needsMoreMemory } from './memory-limit';
import { JobReply, type CancelRequest } from './protocol';
import { terminateJobWorker } from './stop-worker';

// The one place where the lifetime of a job's worker thread or child process is managed:
//
//   running ──result/error──► settled
//      │ signal aborts: send `cancel`, start the grace timer
//      ▼
//   cancelling ──stops by itself──► settled (cancelled)
//      │ grace period over
//      ▼
//   killed ──► settled (cancelled, stopped by force) once it is gone (or KILL_WAIT_MS passed)
//
// A worker or process that crashes, exits early or cannot start settles the job as failed. With a
// memory limit, one that runs out of JavaScript heap, or whose resident memory passes the limit
// (checked every MEMORY_POLL_MS), is stopped and fails with "needs more than N GB of memory". A job
// that knows its model may raise its limit once it runs (a `memory` message), up to a cap.

/** A worker thread or a child process, as {@link supervise} drives it. */
export interface Supervisee {
  /** Sends the cooperative `cancel` message (the job's AbortSignal fires inside). */
  requestCancel(): void;
  /** Stops it at once; resolves once it is gone (a worker: with the child processes it started). */
  kill(): Promise<void>;
  /** Every message it sends, as it arrives (checked by {@link jobReply} before use). */
  onMessage(listener: (message: unknown) => void): void;
  /** It could not start, or failed outside the task; the text says so in plain words. */
  onFailure(listener: (message: string) => void): void;
  /** It ended; the text says how (exit code, signal, last lines of its stderr). */
  onExit(listener: (message: string) => void): void;
}

/** Settings of {@link supervise}. */
export interface SuperviseOptions {
  /** How long a cancelled job may take to stop by itself before it is killed. */
  cancelGraceMs: number;
  /** The job's memory limit, and how to read its resident memory (no reader: heap limit only). */
  memory?: MemoryWatch;
  /** Hears of each hidden folder the job is about to create (see temporaries.ts). */
  onTemporary?: (path: string) => void;
}

/** A memory limit as {@link supervise} enforces it. */
export interface MemoryWatch {
  limitBytes: number;
  /** The job may raise its limit up to this (a `memory` message: it knows its model); without it the limit is fixed. */
  raiseUpToBytes?: number;
  rssBytes?: () => number | undefined;
  /** The file the job works on, named in the message. */
  file?: string;
}

const MEMORY_POLL_MS = 100;
/** How long a job that is being killed may take to be gone before it settles anyway. */
const KILL_WAIT_MS = 10_000;

const CANCELLED: ErrorInfo = { code: 'cancelled', message: 'The job was cancelled.' };
const FORCED: ErrorInfo = { code: 'cancelled', message: 'The job was cancelled (stopped by force).' };

/**
 * Runs one job to its end: progress goes to `ctx.onProgress`, an aborted `ctx.signal` cancels it
 * cooperatively first and kills it after the grace period. Resolves with the job's result; rejects
 * with a {@link CommandError}. Call it right after starting the worker or process.
 */
export function supervise<Result>(job: Supervisee, ctx: EngineContext, options: SuperviseOptions): Promise<Result> {
  return new Promise<Result>((resolve, reject) => {
    let settled = false;
    let cancelled = false;
    let killTimer: NodeJS.Timeout | undefined;
    const memory = options.memory;
    let limitBytes = memory?.limitBytes ?? 0;
    const outOfMemory = (): ErrorInfo => ({
      code: 'runtime-failed',
      message: needsMoreMemory(limitBytes),
      ...(memory?.file ? { file: memory.file } : {}),
    });
    const failed = (message: string): ErrorInfo =>
      memory && isHeapExhaustion(message) ? outOfMemory() : { code: 'runtime-failed', message };
    const watch =
      memory?.rssBytes &&
      setInterval(() => {
        const rss = memory.rssBytes?.();
        if (rss === undefined || rss <= limitBytes) return;
        killWith(outOfMemory());
      }, MEMORY_POLL_MS);
    // The outcome is decided here; the promise settles now or, for a kill, once the job is gone.
    const decide = (): boolean => {
      if (settled) return false;
      settled = true;
      clearTimeout(killTimer);
      clearInterval(watch || undefined);
      ctx.signal?.removeEventListener('abort', onAbort);
      return true;
    };
    const settle = (outcome: { result: Result } | { error: ErrorInfo }): void => {
      if ('error' in outcome) reject(new CommandError(outcome.error));
      else resolve(outcome.result);
    };
    const finish = (outcome: { result: Result } | { error: ErrorInfo }): void => {
      if (decide()) settle(outcome);
    };
    // Nothing of a killed job (no child process it started) is left when its caller hears it ended.
    const killWith = (error: ErrorInfo): void => {
      if (!decide()) return;
      let waited: NodeJS.Timeout | undefined;
      const bounded = new Promise<void>((done) => (waited = setTimeout(done, KILL_WAIT_MS)));
      void Promise.race([job.kill().catch(() => undefined), bounded]).then(() => {
        clearTimeout(waited);
        settle({ error });
      });
    };
    const onAbort = (): void => {
      if (cancelled || settled) return;
      cancelled = true;
      job.requestCancel();
      killTimer = setTimeout(() => killWith(FORCED), options.cancelGraceMs);
    };

    job.onMessage((raw) => {
      const message = jobReply(raw);
      if (!message) return; // not of the job protocol (a loader in the child may send its own): not the job's
      if (message.type === 'progress') ctx.onProgress?.(message.progress);
      else if (message.type === 'temporary') options.onTemporary?.(message.path);
      else if (message.type === 'memory') {
        if (memory?.raiseUpToBytes !== undefined && Number.isFinite(message.limitBytes))
          limitBytes = Math.max(limitBytes, Math.min(memory.raiseUpToBytes, message.limitBytes));
      }
      // The job's own result type: what the started task returns.
      else if (message.type === 'result') finish({ result: message.result as Result });
      else finish({ error: cancelled ? CANCELLED : message.error });
    });
    job.onFailure((message) => finish({ error: failed(message) }));
    job.onExit((message) => finish({ error: cancelled ? CANCELLED : failed(message) }));
    if (ctx.signal?.aborted) onAbort();
    else ctx.signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * `raw` as a {@link JobReply}, or null when it is none: a worker or child sends its parent what it
 * likes, and a message the parent misreads must not end the parent.
 */
export function jobReply(raw: unknown): JobReply | null {
  return JobReply.safeParse(raw).data ?? null;
}

const CANCEL: CancelRequest = { type: 'cancel' };

/**
 * A job's worker thread as a {@link Supervisee}. With its native gate, killing it waits for a call of
 * ONNX Runtime under way to end (terminating the thread inside one aborts the whole process); then
 * the child processes it started are stopped and reaped (see stop-worker.ts).
 */
export function workerSupervisee(worker: Worker, nativeGate?: SharedArrayBuffer): Supervisee {
  return {
    requestCancel: () => worker.postMessage(CANCEL),
    kill: () => terminateJobWorker(worker, nativeGate),
    onMessage: (listener) => worker.on('message', listener),
    onFailure: (listener) =>
      worker.on('error', (error: NodeJS.ErrnoException) =>
        listener(`The job's worker failed: ${error.message} (${error.code ?? 'no code'})`),
      ),
    onExit: (listener) => worker.on('exit', (code) => listener(`The job's worker stopped unexpectedly (exit code ${code}).`)),
  };
}

const STDERR_TAIL = 8000;

/** A child process as a {@link Supervisee}; `what` names it in messages ("the benchmark process"). */
export function childSupervisee(child: ChildProcess, what: string): Supervisee {
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-STDERR_TAIL);
  });
  return {
    requestCancel: () => {
      if (child.connected) child.send(CANCEL);
    },
    kill: () =>
      new Promise<void>((done) => {
        // 'exit' comes once the child is reaped; a child that never started has nothing to wait for.
        if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return done();
        child.once('exit', () => done());
        child.kill('SIGKILL');
      }),
    onMessage: (listener) => child.on('message', listener),
    onFailure: (listener) => child.on('error', (error) => listener(`could not start ${what}: ${error.message}`)),
    onExit: (listener) =>
      child.on('exit', (code, signal) => {
        const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
        // V8's "heap out of memory" line comes before a native stack trace: look for it in the whole tail.
        if (isHeapExhaustion(stderr)) return listener(`${what} ${how}: JavaScript heap out of memory`);
        const tail = stripVTControlCharacters(stderr.trim().split('\n').slice(-3).join(' '));
        listener(`${what} ${how} (the runtime crashed)${tail ? `: ${tail}` : ''}`);
      }),
  };
}
