import { parentPort, workerData } from 'node:worker_threads';
import type { CancelRequest, JobReply, JobStart } from './protocol';
import { runJob } from './run-job';

// Runs one task of a module's `tasks` table in this worker thread, then lets the thread end.
const port = parentPort;
if (!port) throw new Error('job-worker must run in a worker thread');

const controller = new AbortController();
port.on('message', (message: CancelRequest) => {
  if (message.type === 'cancel') controller.abort();
});
try {
  await runJob(workerData as JobStart, (message: JobReply) => port.postMessage(message), controller.signal);
} finally {
  port.close();
}
