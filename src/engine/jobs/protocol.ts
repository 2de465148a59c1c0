import type { Progress } from '../context';
import type { ErrorInfo } from '../errors';

/** What the parent hands a job worker at start. */
export interface JobStart {
  /** URL of the module that exports the task function. */
  moduleUrl: string;
  /** Name of the exported function: `(args, ctx) => Promise<result>`. */
  exportName: string;
  args: unknown;
}

/** Messages from a job worker to its parent. */
export type WorkerToParent =
  { type: 'progress'; progress: Progress } | { type: 'result'; result: unknown } | { type: 'error'; error: ErrorInfo };

/** Messages from the parent to a job worker. */
export type ParentToWorker = { type: 'cancel' };
