import type { EngineContext } from '../context';
import ort from 'onnxruntime-node';
import { toErrorInfo } from '../errors';
import type { ChildReply, ChildRequest } from './child-protocol';
import { runCompare } from './run-compare';
import { runConfig } from './run-config';

// Entry point of a benchmark child process: runs one request, reports back over IPC, exits.
// Failures come back as LitheErrors; keep ONNX Runtime's own log lines out of this process's stderr.
ort.env.logLevel = 'fatal';
const controller = new AbortController();
// Ctrl-C in a terminal reaches the whole process group: let the parent cancel us in order instead.
process.on('SIGINT', () => undefined);
const send = (reply: ChildReply): Promise<void> =>
  new Promise((resolve) => {
    if (process.send) process.send(reply, undefined, {}, () => resolve());
    else resolve();
  });

let finished = false;
// The parent is gone: stop measuring and end (nobody is left to read the result).
process.on('disconnect', () => {
  if (finished) return;
  controller.abort();
  setTimeout(() => process.exit(130), 3000).unref();
});

process.on('message', (message: ChildRequest) => {
  if (message.type === 'cancel') {
    controller.abort();
    return;
  }
  void (async () => {
    const ctx: EngineContext = { signal: controller.signal, onProgress: (progress) => void send({ type: 'progress', progress }) };
    try {
      const result =
        message.type === 'config'
          ? { ...(await runConfig(message.job, ctx)), isolation: 'process' as const }
          : await runCompare(message.args, ctx);
      await send({ type: 'result', result });
    } catch (error) {
      await send({ type: 'error', error: toErrorInfo(error) });
    }
    finished = true;
    if (process.connected) process.disconnect();
    process.exit(0);
  })();
});
