import { parentPort } from 'node:worker_threads';
import { toErrorInfo } from '../../errors';
import type { SessionToWorker, WorkerToSession } from './protocol';
import { TfliteInterpreter } from './tflite-interpreter';

// Worker entry of a TFLite session: owns one interpreter, answers one message at a time.
const port = parentPort!;
let interpreter: TfliteInterpreter | null = null;
const send = (message: WorkerToSession, transfer: ArrayBuffer[] = []): void => port.postMessage(message, transfer);

port.on('message', async (message: SessionToWorker) => {
  try {
    if (message.type === 'create') {
      interpreter = await TfliteInterpreter.create(message.bytes, message.options);
      send({ type: 'created', inputs: interpreter.inputs, outputs: interpreter.outputs });
    } else if (message.type === 'load') {
      // The new interpreter is built before the old one goes, so a model the runtime refuses leaves the session as it was.
      const next = await TfliteInterpreter.create(message.bytes, message.options);
      interpreter?.dispose();
      interpreter = next;
      send({ type: 'loaded', id: message.id, inputs: next.inputs, outputs: next.outputs });
    } else if (message.type === 'run') {
      const start = performance.now();
      const outputs = interpreter!.run(message.feeds);
      const ms = performance.now() - start;
      send(
        { type: 'result', id: message.id, outputs, ms },
        outputs.map((o) => o.buffer as ArrayBuffer),
      );
    } else if (message.type === 'profile') {
      send({ type: 'profile', id: message.id, entries: interpreter!.profile() });
    } else {
      interpreter?.dispose();
      interpreter = null;
      port.close();
    }
  } catch (error) {
    send({ type: 'error', id: 'id' in message ? message.id : undefined, error: toErrorInfo(error) });
  }
});
