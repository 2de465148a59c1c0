import { parentPort, workerData } from 'node:worker_threads';
import type { CancelRequest, JobReply, WorkerJobData } from './protocol';
import { runJob } from './run-job';

// Runs one task of a module's `tasks` table in this worker thread, then lets the thread end. Calls
// into ONNX Runtime go through the native gate, so that the parent never terminates the thread in
// the middle of one (see native-gate.ts).
const port = parentPort;
if (!port) throw new Error('job-worker must run in a worker thread');

const { start, nativeGate } = workerData as WorkerJobData;
const controller = new AbortController();
port.on('message', (message: CancelRequest) => {
  if (message.type === 'cancel') controller.abort();
});
try {
  // ONNX Runtime that cannot load here makes no native calls: nothing to guard.
  await import('./guard-onnxruntime').then(({ guardOnnxRuntime }) => guardOnnxRuntime(nativeGate)).catch(() => undefined);
  await runJob(start, (message: JobReply) => port.postMessage(message), controller.signal);
} finally {
  port.close();
}
