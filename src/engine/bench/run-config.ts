import { basename } from 'node:path';
import type { BenchConfig, BenchResult, InputOptions, RunPlan } from '../../contract/bench';
import type { EngineContext } from '../context';
import { LitheError, throwIfCancelled } from '../errors';
import { createOnnxSession, prepareFeeds, runError } from '../runtime/onnx';
import { measureLoop } from './measure-loop';
import { isTfliteFile } from './model-kind';
import { runTfliteConfig } from './run-config-tflite';
import { currentRss, peakRss } from './memory';
import { profileModel } from './profile-session';
import { summarizeTrace } from './profile-trace';
import { histogram, latencyStats } from './stats';

/** Arguments of one configuration's measurement. */
export interface ConfigJob {
  model: string;
  config: BenchConfig;
  plan: RunPlan;
  inputs: InputOptions;
}

/**
 * Measures one model in one configuration in this process: session creation, first inference,
 * warm-up, measured runs, memory, and optionally a per-operator profile from a second session.
 * Meant to run alone in a fresh process, so memory figures belong to this configuration only.
 */
export async function runConfig(job: ConfigJob, ctx: EngineContext = {}): Promise<BenchResult> {
  if (job.config.runtime === 'tflite' || isTfliteFile(job.model))
    return runTfliteConfig({ ...job, config: { ...job.config, runtime: 'tflite' } }, ctx);
  const { model, config, plan } = job;
  const report = (stage: string, fraction: number, message?: string): void =>
    ctx.onProgress?.({ stage, fraction: Math.min(1, Math.max(0, fraction)), message });
  report('load', 0, `loading ${basename(model)}`);
  const baselineRssBytes = currentRss();
  const loaded = await createOnnxSession(model, config);
  const modelLoadRssBytes = currentRss() - baselineRssBytes;
  const { session } = loaded;
  try {
    const { inputs, feeds } = prepareFeeds(session, job.inputs, model);
    // The step is session.run itself (no wrapper) so the loop adds next to nothing; ORT failures
    // are turned into a LitheError naming the model around the whole measurement.
    const run = (): Promise<unknown> => session.run(feeds);
    let firstMs: number;
    let warm: Awaited<ReturnType<typeof measureLoop>>;
    let measured: Awaited<ReturnType<typeof measureLoop>>;
    const measuredShare = plan.profile ? 0.85 : 0.98;
    const seconds = plan.durationSeconds;
    try {
      const firstStarted = performance.now();
      await run();
      firstMs = performance.now() - firstStarted;
      throwIfCancelled(ctx.signal);
      report('warmup', 0.02, 'warming up');
      warm = await measureLoop(run, { runs: plan.warmupRuns, seconds: plan.warmupSeconds }, undefined, ctx.signal);
      throwIfCancelled(ctx.signal);
      measured = await measureLoop(
        run,
        { runs: plan.runs, seconds },
        (done, elapsedMs) =>
          report(
            'measure',
            0.02 + measuredShare * (seconds !== undefined ? elapsedMs / (seconds * 1000) : done / plan.runs),
            `${done} runs`,
          ),
        ctx.signal,
      );
    } catch (error) {
      if (error instanceof LitheError) throw error;
      throw runError(model, error);
    }
    throwIfCancelled(ctx.signal);
    const samples = measured.samplesMs;
    const peakAfterRuns = peakRss();

    let profile: BenchResult['profile'];
    if (plan.profile) {
      report('profile', 0.9, 'profiling operators');
      profile = summarizeTrace(await profileModel(model, config, feeds, plan.profileRuns, ctx.signal));
    }
    report('done', 1);
    return {
      model,
      modelName: basename(model),
      modelBytes: loaded.bytes,
      runtime: config.runtime,
      executionProvider: config.executionProvider,
      threads: config.threads,
      interOpThreads: config.interOpThreads,
      optLevel: config.optLevel,
      executionMode: config.executionMode,
      inputs,
      initMs: loaded.createMs,
      firstMs,
      warmupRuns: warm.samplesMs.length,
      runs: samples.length,
      latencyMs: latencyStats(samples),
      throughput: samples.length / (measured.totalMs / 1000),
      // Taken before profiling: the profiled session is a second copy of the model.
      isolation: 'thread',
      peakRssBytes: peakAfterRuns,
      baselineRssBytes,
      modelLoadRssBytes,
      samplesMs: Array.from(samples),
      histogram: histogram(samples),
      ...(profile ? { profile } : {}),
    };
  } finally {
    await session.release();
  }
}
