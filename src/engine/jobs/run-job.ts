import type { Progress } from '../context';
import { toErrorInfo } from '../errors';
import type { JobReply, JobStart } from './protocol';

const PROGRESS_INTERVAL_MS = 50;

/**
 * Runs one task of a module's `tasks` table (the body of a job worker thread and of a job child
 * process): progress, then the result or the error, go to `send`; `signal` is the job's cancel.
 */
export async function runJob(start: JobStart, send: (message: JobReply) => void, signal: AbortSignal): Promise<void> {
  let lastProgressAt = 0;
  let lastStage = '';
  // Events of one stage are thinned to one per interval; a change of stage and the end of one always get through.
  const onProgress = (progress: Progress): void => {
    const now = Date.now();
    if (now - lastProgressAt < PROGRESS_INTERVAL_MS && progress.fraction !== 1 && progress.stage === lastStage) return;
    lastProgressAt = now;
    lastStage = progress.stage;
    send({ type: 'progress', progress });
  };
  try {
    const module = (await import(start.moduleUrl)) as { tasks?: Record<string, unknown> };
    const table = module.tasks ?? {};
    const task = Object.hasOwn(table, start.taskName) ? table[start.taskName] : undefined;
    if (typeof task !== 'function') throw new Error(`${start.moduleUrl} has no task named ${start.taskName}`);
    const result: unknown = await task(start.args, { onProgress, signal });
    send({ type: 'result', result });
  } catch (error) {
    send({ type: 'error', error: toErrorInfo(error) });
  }
}
