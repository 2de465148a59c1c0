import type { BenchCompareArgs } from '../../contract/bench';
import type { CancelRequest, JobReply } from '../jobs/protocol';
import type { ConfigJob } from './run-config';

/** What a benchmark child process is asked to do. */
export type ChildRequest = { type: 'config'; job: ConfigJob } | { type: 'compare'; args: BenchCompareArgs } | CancelRequest;

/** What a benchmark child process reports: the same messages a job worker sends. */
export type ChildReply = JobReply;
