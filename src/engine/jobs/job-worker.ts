import { parentPort, workerData } from 'node:worker_threads';
import type { Progress } from '../context';
import { toErrorInfo } from '../errors';
import type { CancelRequest, JobReply, JobStart } from './protocol';

// Runs one task of a module's `tasks` table in this worker thread, then lets the thread end.
const port = parentPort;
if (!port) throw new Error('job-worker must run in a worker thread');

const start = workerData as JobStart;
const controller = new AbortController();
const PROGRESS_INTERVAL_MS = 50;
let lastProgressAt = 0;
let lastStage = '';

const send = (message: JobReply): void => port.postMessage(message);

port.on('message', (message: CancelRequest) => {
  if (message.type === 'cancel') controller.abort();
});

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
  const result: unknown = await task(start.args, { onProgress, signal: controller.signal });
  send({ type: 'result', result });
} catch (error) {
  send({ type: 'error', error: toErrorInfo(error) });
} finally {
  port.close();
}
