import { jobFile } from './memory-limit';
import type { CancelRequest, ChildJobRequest, JobReply } from './protocol';
import { runJob } from './run-job';

// Runs one task of a module's `tasks` table in this child process (a job whose native memory,
// ONNX Runtime's above all, must be bounded: see `memory-limit.ts`), then exits.
const controller = new AbortController();
// Ctrl-C in a terminal reaches the whole process group: let the parent cancel us in order instead.
process.on('SIGINT', () => undefined);
const send = (message: JobReply): Promise<void> =>
  new Promise((resolve) => {
    if (process.connected && process.send) process.send(message, undefined, {}, () => resolve());
    else resolve();
  });
let sent: Promise<void> = Promise.resolve();
let finished = false;

// The parent is gone (killed, or it closed the channel): cancel, so the task removes what it was
// writing, and end soon whatever happens. Nobody is left to read a result.
process.on('disconnect', () => {
  if (finished) return;
  controller.abort();
  setTimeout(() => process.exit(130), 3000).unref();
});

process.on('message', (message: ChildJobRequest | CancelRequest) => {
  if (message.type === 'cancel') {
    controller.abort();
    return;
  }
  void (async () => {
    // The limit this job needs, now that it can look at its model (the parent started it with the file-size rule).
    if (jobFile(message.start.args) !== undefined) {
      const limitBytes = await import('./job-memory-need')
        .then(({ jobMemoryNeedBytes }) => jobMemoryNeedBytes(message.start.args))
        .catch(() => undefined);
      if (limitBytes !== undefined) sent = send({ type: 'memory', limitBytes });
    }
    await runJob(message.start, (reply) => (sent = send(reply)), controller.signal);
    await sent;
    finished = true;
    if (process.connected) process.disconnect();
    process.exit(0);
  })();
});
