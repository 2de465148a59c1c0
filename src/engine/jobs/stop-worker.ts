import type { Worker } from 'node:worker_threads';
import { closeGate } from './native-gate';
import type { StopRequest } from './protocol';

/** How long a worker may take to kill and reap its child processes before it is terminated anyway. */
const STOP_WAIT_MS = 3000;

const STOP: StopRequest = { type: 'stop' };

/**
 * Terminates a job's worker thread the safe way: first no call of ONNX Runtime may be under way in it
 * (its native gate, when it has one; waiting `gateWaitMs` at most), then the worker kills the child processes it
 * started and waits until they are reaped (a child only its own thread can reap would otherwise stay
 * a zombie in the host), then the thread is terminated. A worker busy in JavaScript that cannot
 * answer within STOP_WAIT_MS is terminated anyway; its children, which end when their channel
 * closes, then stay zombies.
 */
export async function terminateJobWorker(worker: Worker, nativeGate?: SharedArrayBuffer, gateWaitMs = Infinity): Promise<void> {
  if (nativeGate) await closeGate(nativeGate, gateWaitMs);
  await new Promise<void>((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      worker.off('message', onMessage);
      worker.off('exit', done);
      resolve();
    };
    const onMessage = (message: unknown): void => {
      if (typeof message === 'object' && message !== null && (message as { type?: unknown }).type === 'stopped') done();
    };
    const timer = setTimeout(done, STOP_WAIT_MS);
    worker.on('message', onMessage);
    worker.once('exit', done);
    worker.postMessage(STOP);
  });
  await worker.terminate();
}
