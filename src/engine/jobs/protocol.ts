import { z } from 'zod';
import { ErrorInfo } from '../../contract/errors';
import { Progress } from '../../contract/schemas';

/** What the parent hands a job worker at start. */
export interface JobStart {
  /** URL of the module whose `tasks` table holds the task. */
  moduleUrl: string;
  /** Key of the task in that table: `(args, ctx) => Promise<result>`. */
  taskName: string;
  args: unknown;
}

/** What the parent hands a job's worker thread: the job, and the gate of its native calls (see native-gate.ts). */
export interface WorkerJobData {
  start: JobStart;
  nativeGate: SharedArrayBuffer;
}

/** What an `error` reply whose error is not an {@link ErrorInfo} stands for. */
const NO_REASON: ErrorInfo = { code: 'internal', message: 'The job failed without saying why.' };

/**
 * Messages a job worker or an engine child process sends its parent. `memory`: the memory limit the
 * job needs, now that it has looked at its model (a job child sends it first; see job-memory-need.ts).
 * `temporary`: a hidden folder the job is about to create, which its host removes once the job is
 * gone if it is still there (see temporaries.ts).
 * The parent parses what it receives with this schema: an `error` reply without a readable error
 * becomes an internal error.
 */
export const JobReply = z.discriminatedUnion('type', [
  z.object({ type: z.literal('progress'), progress: Progress }),
  z.object({ type: z.literal('result'), result: z.unknown() }),
  z.object({ type: z.literal('error'), error: ErrorInfo.catch(NO_REASON) }),
  z.object({ type: z.literal('memory'), limitBytes: z.number() }),
  z.object({ type: z.literal('temporary'), path: z.string() }),
]);
export type JobReply = z.infer<typeof JobReply>;

/** The message that asks a job worker or child process to stop by itself. */
export interface CancelRequest {
  type: 'cancel';
}

/**
 * The message that asks a job worker, about to be terminated, to kill and reap the child processes
 * it started (see fork-child.ts); it answers with a {@link StoppedReply}.
 */
export interface StopRequest {
  type: 'stop';
}

/** A job worker's answer to a {@link StopRequest}: none of its child processes is left. */
export interface StoppedReply {
  type: 'stopped';
}

/** The message that starts the job of a job child process (its first message). */
export interface ChildJobRequest {
  type: 'start';
  start: JobStart;
}
