import { describe, expect, it } from 'vitest';
import { CommandError } from '../../../src/contract';
import { jobReply, supervise, type Supervisee } from '../../../src/engine/jobs/supervise';

// A job's worker or child sends its parent whatever it sends: the model fuzz (seed 1802, the run after index 525)
// ended the whole host with "TypeError: Cannot read properties of undefined (reading 'message')" in
// `new CommandError(message.error)`, a message that was not a job reply. The parent must read only
// replies of the job protocol and never throw from its message listener.
function scriptedJob(): { job: Supervisee; send: (message: unknown) => void } {
  let listener: ((message: unknown) => void) | undefined;
  const job: Supervisee = {
    requestCancel: () => undefined,
    kill: () => Promise.resolve(),
    onMessage: (l) => (listener = l),
    onFailure: () => undefined,
    onExit: () => undefined,
  };
  return { job, send: (message) => listener?.(message) };
}

describe('a job parent reading what its job sends', () => {
  it('passes over messages that are no job reply, then takes the result', async () => {
    const { job, send } = scriptedJob();
    const done = supervise<number>(job, {}, { cancelGraceMs: 1000 });
    for (const stray of [{ type: 'dependency', path: '/x.ts' }, { type: 'signal', signal: 'SIGTERM' }, null, 'text', 42, {}])
      expect(() => send(stray)).not.toThrow();
    send({ type: 'result', result: 7 });
    await expect(done).resolves.toBe(7);
  });

  it('turns an error reply without an error into an internal CommandError, not a TypeError', async () => {
    const { job, send } = scriptedJob();
    const done = supervise(job, {}, { cancelGraceMs: 1000 });
    expect(() => send({ type: 'error' })).not.toThrow();
    const error = await done.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CommandError);
    expect(error).toMatchObject({ code: 'internal', message: 'The job failed without saying why.' });
  });

  it('keeps well-formed replies as they are', () => {
    const error = { code: 'not-found', message: 'gone', file: '/m.onnx' };
    expect(jobReply({ type: 'error', error })).toEqual({ type: 'error', error });
    expect(jobReply({ type: 'memory', limitBytes: 5 })).toEqual({ type: 'memory', limitBytes: 5 });
    expect(jobReply({ type: 'memory', limitBytes: '5' })).toBeNull();
    expect(jobReply({ type: 'progress', progress: { stage: 'x', fraction: 0.5 } })).toMatchObject({ type: 'progress' });
  });
});
