import { resolve } from 'node:path';
import type { BenchFailure, BenchOutcome, BenchResult, BenchRunArgs, BenchRunResult } from '../../contract/bench';
import type { EngineContext, Progress } from '../context';
import { LitheError, throwIfCancelled, toErrorInfo } from '../errors';
import { machineInfo } from './machine-info';
import { isTfliteFile } from './model-kind';
import type { ConfigJob } from './run-config';
import { expandSweep } from './sweep';

// Failures that belong to the model file, whatever the configuration.
const MODEL_FAULTS: readonly string[] = ['not-found', 'unreadable', 'not-a-model', 'corrupt-model'];

/** Runs one configuration job somewhere isolated (a JobRunner job, a child process, …). */
export type ConfigJobRunner = (job: ConfigJob, ctx: EngineContext) => Promise<BenchResult>;

/**
 * Measures every model × configuration one after the other (never two at once, so they do not
 * disturb each other). A model that fails to load fails its own configurations only; if a model
 * cannot be loaded at all, its remaining configurations are skipped with the same error. Each
 * result or failure is sent as soon as it is known, as the `detail` of a progress event (a
 * {@link BenchOutcome}, for live tables).
 */
export async function benchRun(args: BenchRunArgs, runJob: ConfigJobRunner, ctx: EngineContext = {}): Promise<BenchRunResult> {
  const configs = expandSweep(args.sweep);
  // A TFLite model has one setting, its threads: one configuration per thread count of the sweep.
  const tfliteConfigs = [...new Set(configs.map((config) => config.threads))].map((threads) => ({
    runtime: 'tflite' as const,
    executionProvider: 'xnnpack-wasm',
    threads,
    interOpThreads: 1,
    optLevel: 'all' as const,
    executionMode: 'sequential' as const,
  }));
  const jobs: ConfigJob[] = args.models.flatMap((model) =>
    (isTfliteFile(model) ? tfliteConfigs : configs).map((config) => ({
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
    let outcome: BenchOutcome;
    if (known) {
      outcome = { failure: { ...known, config: job.config } };
    } else {
      const onProgress = ctx.onProgress
        ? (progress: Progress): void =>
            ctx.onProgress?.({
              stage: progress.stage,
              fraction: (index + (progress.fraction ?? 0)) / jobs.length,
              message: `${index + 1}/${jobs.length} ${progress.message ?? progress.stage}`,
            })
        : undefined;
      try {
        outcome = { result: await runJob(job, { onProgress, signal: ctx.signal }) };
      } catch (error) {
        const info = toErrorInfo(error);
        if (info.code === 'cancelled') throw new LitheError('cancelled', 'The job was cancelled.');
        const failure: BenchFailure = { model: job.model, config: job.config, code: info.code, message: info.message };
        if (MODEL_FAULTS.includes(info.code) || (info.code === 'unsupported' && info.message.includes('cannot run in this runtime')))
          unloadable.set(job.model, failure);
        outcome = { failure };
      }
    }
    if ('result' in outcome) results.push(outcome.result);
    else failures.push(outcome.failure);
    ctx.onProgress?.({
      stage: 'measured',
      fraction: (index + 1) / jobs.length,
      message: `${index + 1}/${jobs.length} measured`,
      detail: { ...outcome },
    });
  }
  return { machine: machineInfo(), startedAt, results, failures };
}
