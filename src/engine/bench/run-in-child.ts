import type { BenchCompareArgs, BenchCompareResult, BenchResult } from '../../contract/bench';
import type { EngineContext } from '../context';
import { LitheError } from '../errors';
import { entryUrl } from '../entry-url';
import { childEntryExists, forkEngineChild, reapChild } from '../jobs/fork-child';
import { jobMemoryNeed } from '../jobs/job-memory-need';
import { jobFile, processRssBytes } from '../jobs/memory-limit';
import { childSupervisee, supervise } from '../jobs/supervise';
import type { ChildRequest } from './child-protocol';
import type { ConfigJob } from './run-config';

const CHILD = entryUrl(import.meta.url, './bench-child.ts');
const CANCEL_GRACE_MS = 2000;

/** Measures one configuration alone, in a child process of its own (see {@link runInChild}). */
export function benchConfigInChild(job: ConfigJob, ctx: EngineContext = {}): Promise<BenchResult> {
  return runInChild({ type: 'config', job }, ctx, async () => (await import('./run-config')).runConfig(job, ctx));
}

/** An A/B comparison with interleaved runs, in a child process of its own. */
export function benchCompareInChild(args: BenchCompareArgs, ctx: EngineContext = {}): Promise<BenchCompareResult> {
  return runInChild({ type: 'compare', args }, ctx, async () => (await import('./run-compare')).runCompare(args, ctx));
}

/**
 * Runs a benchmark request in a fresh Node process. A process of its own (rather than only a
 * worker thread) is what makes peak RSS honest: resident memory is per process, so a
 * configuration measured alone in its process reports its own peak and load delta, untouched by
 * the host or by earlier configurations. It also keeps a native crash in ONNX Runtime from taking
 * anything else down. Settles once the child is gone. Rejects with a `CommandError`. A build without the child entry measures in
 * this thread instead (`here`; results say `isolation: 'thread'`).
 */
async function runInChild<Result>(request: ChildRequest, ctx: EngineContext, here: () => Promise<Result>): Promise<Result> {
  if (!childEntryExists(CHILD)) return here();
  if (ctx.signal?.aborted) throw new LitheError('cancelled', 'The job was cancelled.');
  const args = request.type === 'config' ? request.job : request.type === 'compare' ? request.args : undefined;
  const { limitBytes, refusal } = await jobMemoryNeed(args);
  // A model whose runs could only grow to the limit and be stopped there is refused before anything runs.
  if (refusal) throw new LitheError('runtime-failed', refusal, { file: jobFile(args) });
  const child = forkEngineChild(CHILD, limitBytes);
  const memory = { limitBytes, rssBytes: () => (child.pid === undefined ? undefined : processRssBytes(child.pid)), file: jobFile(args) };
  const done = supervise<Result>(childSupervisee(child, 'the benchmark process'), ctx, { cancelGraceMs: CANCEL_GRACE_MS, memory });
  child.send(request);
  try {
    return await done;
  } finally {
    // The child exits by itself once it has answered; the job ends only once it is gone and reaped.
    await reapChild(child, CANCEL_GRACE_MS);
  }
}
