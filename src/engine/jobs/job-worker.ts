import { parentPort, workerData } from 'node:worker_threads';
import { stopForkedChildren } from './fork-child';
import type { CancelRequest, JobReply, StoppedReply, StopRequest, WorkerJobData } from './protocol';
import { runJob } from './run-job';

// Runs one task of a module's `tasks` table in this worker thread, then lets the thread end. Calls
// into ONNX Runtime go through the native gate, so that the parent never terminates the thread in
// the middle of one (see native-gate.ts); before it terminates the thread, the parent asks it to
// kill and reap the child processes it started (see stop-worker.ts).
const port = parentPort;
if (!port) throw new Error('job-worker must run in a worker thread');

const { start, nativeGate } = workerData as WorkerJobData;
const controller = new AbortController();
const STOPPED: StoppedReply = { type: 'stopped' };
/** How long a child this worker started may take to end by itself once let go, before it is killed. */
const CHILD_GRACE_MS = 1000;
port.on('message', (message: CancelRequest | StopRequest) => {
  if (message.type === 'cancel') controller.abort();
  else if (message.type === 'stop') {
    controller.abort();
    void stopForkedChildren(CHILD_GRACE_MS).then(() => port.postMessage(STOPPED));
  }
});
try {
  // ONNX Runtime that cannot load here makes no native calls: nothing to guard.
  await import('./guard-onnxruntime').then(({ guardOnnxRuntime }) => guardOnnxRuntime(nativeGate)).catch(() => undefined);
  await runJob(start, (message: JobReply) => port.postMessage(message), controller.signal);
} finally {
  // A child still running once the task has ended is nobody's: let it go, and reap it before the thread ends.
  await stopForkedChildren(CHILD_GRACE_MS);
  port.close();
}
