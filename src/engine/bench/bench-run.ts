import { resolve } from 'node:path';
import type { BenchFailure, BenchResult, BenchRunArgs, BenchRunResult } from '../../contract/bench';
import type { EngineContext } from '../context';
import { LitheError, throwIfCancelled, toErrorInfo } from '../errors';
import { JobError } from '../jobs/job-runner';
import { machineInfo } from './machine-info';
import { isTfliteFile } from './model-kind';
import type { ConfigJob } from './run-config';
import { expandSweep } from './sweep';

// Failures that belong to the model file, whatever the configuration.
const MODEL_FAULTS: readonly string[] = ['not-found', 'unreadable', 'not-a-model', 'corrupt-model'];

/** Runs one configuration job somewhere isolated (a JobRunner job, a child process, …). */
export type ConfigJobRunner = (job: ConfigJob, ctx: EngineContext) => Promise<BenchResult>;

/** A result or failure as soon as it is known (for live tables). */
export type ConfigOutcome = { result: BenchResult } | { failure: BenchFailure };

/**
 * Measures every model × configuration one after the other (never two at once, so they do not
 * disturb each other). A model that fails to load fails its own configurations only; if a model
 * cannot be loaded at all, its remaining configurations are skipped with the same error.
 */
export async function benchRun(
  args: BenchRunArgs,
  runJob: ConfigJobRunner,
  ctx: EngineContext = {},
  onOutcome?: (outcome: ConfigOutcome, index: number, total: number) => void,
): Promise<BenchRunResult> {
  const configs = expandSweep(args.sweep);
  // A TFLite model has one configuration: its runtime is single-threaded and has no ORT settings.
  const tfliteConfig = {
    runtime: 'tflite',
    executionProvider: 'xnnpack-wasm',
    threads: 1,
    interOpThreads: 1,
    optLevel: 'all',
    executionMode: 'sequential',
  } as const;
  const jobs: ConfigJob[] = args.models.flatMap((model) =>
    (isTfliteFile(model) ? [tfliteConfig] : configs).map((config) => ({
      model: resolve(model),
      config,
      plan: args.plan,
      inputs: args.inputs,
    })),
  );
  const startedAt = new Date().toISOString();
  const results: BenchResult[] = [];
  const failures: BenchFailure[] = [];
  const unloadable = new Map<string, BenchFailure>();
  for (const [index, job] of jobs.entries()) {
    throwIfCancelled(ctx.signal);
    const known = unloadable.get(job.model);
    let outcome: ConfigOutcome;
    if (known) {
      outcome = { failure: { ...known, config: job.config } };
    } else {
      const onProgress = ctx.onProgress
        ? (progress: { stage: string; fraction?: number; message?: string }): void =>
            ctx.onProgress?.({
              stage: progress.stage,
              fraction: (index + (progress.fraction ?? 0)) / jobs.length,
              message: `${index + 1}/${jobs.length} ${progress.message ?? progress.stage}`,
            })
        : undefined;
      try {
        outcome = { result: await runJob(job, { onProgress, signal: ctx.signal }) };
      } catch (error) {
        const info = error instanceof JobError ? error.info : toErrorInfo(error);
        if (info.code === 'cancelled') throw new LitheError('cancelled', 'The job was cancelled.');
        const failure: BenchFailure = { model: job.model, config: job.config, code: info.code, message: info.message };
        if (MODEL_FAULTS.includes(info.code) || (info.code === 'unsupported' && info.message.includes('cannot run in this runtime')))
          unloadable.set(job.model, failure);
        outcome = { failure };
      }
    }
    if ('result' in outcome) results.push(outcome.result);
    else failures.push(outcome.failure);
    onOutcome?.(outcome, index, jobs.length);
  }
  return { machine: machineInfo(), startedAt, results, failures };
}
