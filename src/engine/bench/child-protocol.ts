import type { BenchCompareArgs } from '../../contract/bench';
import type { Progress } from '../context';
import type { ErrorInfo } from '../errors';
import type { ConfigJob } from './run-config';

/** What a benchmark child process is asked to do. */
export type ChildRequest = { type: 'config'; job: ConfigJob } | { type: 'compare'; args: BenchCompareArgs } | { type: 'cancel' };

/** What a benchmark child process reports. */
export type ChildReply =
  { type: 'progress'; progress: Progress } | { type: 'result'; result: unknown } | { type: 'error'; error: ErrorInfo };
