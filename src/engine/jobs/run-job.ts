import type { Progress } from '../context';
import { toErrorInfo } from '../errors';
import type { JobReply, JobStart } from './protocol';

const PROGRESS_INTERVAL_MS = 50;

/**
 * Runs one task of a module's `tasks` table (the body of a job worker thread and of a job child
 * process): progress, the hidden folders it is about to create, then the result or the error, go to
 * `send` (which may resolve once the message is on its way); `signal` is the job's cancel.
 */
export async function runJob(start: JobStart, send: (message: JobReply) => void | Promise<void>, signal: AbortSignal): Promise<void> {
  let lastProgressAt = 0;
  let lastStage = '';
  // Events of one stage are thinned to one per interval; a change of stage and the end of one always get through.
  const onProgress = (progress: Progress): void => {
    const now = Date.now();
    if (now - lastProgressAt < PROGRESS_INTERVAL_MS && progress.fraction !== 1 && progress.stage === lastStage) return;
    lastProgressAt = now;
    lastStage = progress.stage;
    void send({ type: 'progress', progress });
  };
  const claimTemporary = async (path: string): Promise<void> => send({ type: 'temporary', path });
  try {
    const module = (await import(start.moduleUrl)) as { tasks?: Record<string, unknown> };
    const table = module.tasks ?? {};
    const task = Object.hasOwn(table, start.taskName) ? table[start.taskName] : undefined;
    if (typeof task !== 'function') throw new Error(`${start.moduleUrl} has no task named ${start.taskName}`);
    const result: unknown = await task(start.args, { onProgress, signal, claimTemporary });
    void send({ type: 'result', result });
  } catch (error) {
    void send({ type: 'error', error: toErrorInfo(error) });
  }
}
