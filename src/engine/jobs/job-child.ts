import { rmSync } from 'node:fs';
import { LitheError, toErrorInfo } from '../errors';
import { jobFile } from './memory-limit';
import type { CancelRequest, ChildJobRequest, JobReply } from './protocol';
import { runJob } from './run-job';

// Runs one task of a module's `tasks` table in this child process (a job whose native memory,
// ONNX Runtime's above all, must be bounded: see `memory-limit.ts`), then exits.
const controller = new AbortController();
// Ctrl-C in a terminal reaches the whole process group: let the parent cancel us in order instead.
process.on('SIGINT', () => undefined);
/** The hidden folders this job said it was about to create (see temporaries.ts). */
const temporaries = new Set<string>();
// Resolves once the message has been handed to the channel: the parent reads it even if we are killed then.
const send = (message: JobReply): Promise<void> =>
  new Promise((resolve) => {
    if (message.type === 'temporary') temporaries.add(message.path);
    if (process.connected && process.send) process.send(message, undefined, {}, () => resolve());
    else resolve();
  });
let sent: Promise<void> = Promise.resolve();
let finished = false;

// The parent is gone (killed, or it closed the channel): cancel, so the task removes what it was
// writing, and end soon whatever happens, without leaving a half-written folder (the parent that
// would have removed it may be gone). Nobody is left to read a result.
process.on('disconnect', () => {
  if (finished) return;
  controller.abort();
  process.once('exit', () => {
    for (const path of temporaries) rmSync(path, { recursive: true, force: true });
  });
  setTimeout(() => process.exit(130), 3000).unref();
});

process.on('message', (message: ChildJobRequest | CancelRequest) => {
  if (message.type === 'cancel') {
    controller.abort();
    return;
  }
  void (async () => {
    // The limit this job needs, now that it can look at its model (the parent started it with the file-size rule).
    const file = jobFile(message.start.args);
    const need =
      file === undefined
        ? undefined
        : await import('./job-memory-need').then(({ jobMemoryNeed }) => jobMemoryNeed(message.start.args)).catch(() => undefined);
    if (need) sent = send({ type: 'memory', limitBytes: need.limitBytes });
    // One that could only grow to its limit and be stopped there is refused before it runs anything.
    if (need?.refusal) sent = send({ type: 'error', error: toErrorInfo(new LitheError('runtime-failed', need.refusal, { file })) });
    else await runJob(message.start, (reply) => (sent = send(reply)), controller.signal);
    await sent;
    finished = true;
    if (process.connected) process.disconnect();
    process.exit(0);
  })();
});
