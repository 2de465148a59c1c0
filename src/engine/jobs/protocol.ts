import type { Progress } from '../context';
import type { ErrorInfo } from '../errors';

/** What the parent hands a job worker at start. */
export interface JobStart {
  /** URL of the module whose `tasks` table holds the task. */
  moduleUrl: string;
  /** Key of the task in that table: `(args, ctx) => Promise<result>`. */
  taskName: string;
  args: unknown;
}

/**
 * Messages a job worker or an engine child process sends its parent. `memory`: the memory limit the
 * job needs, now that it has looked at its model (a job child sends it first; see job-memory-need.ts).
 */
export type JobReply =
  | { type: 'progress'; progress: Progress }
  | { type: 'result'; result: unknown }
  | { type: 'error'; error: ErrorInfo }
  | { type: 'memory'; limitBytes: number };

/** The message that asks a job worker or child process to stop by itself. */
export interface CancelRequest {
  type: 'cancel';
}

/** The message that starts the job of a job child process (its first message). */
export interface ChildJobRequest {
  type: 'start';
  start: JobStart;
}
