import { statSync } from 'node:fs';
import { basename } from 'node:path';
import type { BenchResult, InputUsed } from '../../contract/bench';
import type { EngineContext } from '../context';
import { throwIfCancelled } from '../errors';
import {
  createTfliteSession,
  randomInput,
  seededRandom,
  tfliteThreads,
  type TfliteSession,
  type TfliteTypedArray,
} from '../runtime/tflite';
import { currentRss, peakRss } from './memory';
import type { ParsedTrace, TracedNode } from './profile-trace';
import { summarizeTrace } from './profile-trace';
import type { ConfigJob } from './run-config';
import { histogram, latencyStats } from './stats';

/** Runs until the limit; each sample is the interpreter time the TFLite worker reports. */
async function loop(
  session: TfliteSession,
  feeds: TfliteTypedArray[],
  runs: number,
  seconds: number | undefined,
  onTick?: (done: number, elapsedMs: number) => void,
  signal?: AbortSignal,
): Promise<{ samples: number[]; totalMs: number }> {
  const samples: number[] = [];
  const started = performance.now();
  let nextTick = started;
  for (;;) {
    const now = performance.now();
    if (seconds !== undefined ? now - started >= seconds * 1000 : samples.length >= runs) break;
    samples.push((await session.run(feeds)).ms);
    if (now >= nextTick) {
      nextTick = now + 100;
      if (signal?.aborted) break;
      onTick?.(samples.length, now - started);
    }
  }
  return { samples, totalMs: performance.now() - started };
}

async function profileTflite(model: string, feeds: TfliteTypedArray[], runs: number, threads: number): Promise<ParsedTrace> {
  const session = await createTfliteSession(model, { profile: true, threads });
  try {
    for (let i = 0; i < runs + 1; i++) await session.run(feeds);
    const entries = await session.profile();
    // The runtime accumulates entries over runs: drop the first run's share when the count divides.
    const perRun = entries.length % (runs + 1) === 0 ? entries.length / (runs + 1) : 0;
    const kept = perRun > 0 ? entries.slice(perRun) : entries;
    const nodes = kept.map((entry): TracedNode => ({
      name: entry.node,
      opType: entry.op,
      provider: 'tflite',
      selfUs: entry.ms * 1000,
      inputs: [],
      outputs: [],
      parameterBytes: 0,
      activationBytes: 0,
      outputBytes: 0,
    }));
    return { nodes, runs: perRun > 0 ? runs : runs + 1 };
  } finally {
    await session.dispose();
  }
}

/**
 * Measures a TFLite model (WebAssembly XNNPACK runtime in a worker thread of this process).
 * Latencies are the interpreter times the runtime reports, without the thread hop; throughput is
 * runs per wall-clock second including it. `threads` > 1 runs the runtime's pthread build; the optimization
 * level and execution mode are onnxruntime settings and do not apply.
 */
export async function runTfliteConfig(job: ConfigJob, ctx: EngineContext = {}): Promise<BenchResult> {
  const { model, plan } = job;
  const report = (stage: string, fraction: number, message?: string): void =>
    ctx.onProgress?.({ stage, fraction: Math.min(1, Math.max(0, fraction)), message });
  report('load', 0, `loading ${basename(model)}`);
  const baselineRssBytes = currentRss();
  const created = performance.now();
  const threads = tfliteThreads(job.config.threads);
  const session = await createTfliteSession(model, { threads }, { signal: ctx.signal });
  const initMs = performance.now() - created;
  const modelLoadRssBytes = currentRss() - baselineRssBytes;
  try {
    const random = seededRandom(job.inputs.seed);
    const feeds = session.inputs.map((info) => {
      const value = job.inputs.values[info.name];
      const data = randomInput(info, random);
      if (value !== undefined) data.fill(value as never);
      return data;
    });
    const inputs: InputUsed[] = session.inputs.map((info) => ({
      name: info.name,
      dtype: info.dtype,
      shape: info.shape,
      declaredShape: info.shape,
      assumed: [],
    }));
    const firstMs = (await session.run(feeds)).ms;
    report('warmup', 0.02, 'warming up');
    const warm = await loop(session, feeds, plan.warmupRuns, plan.warmupSeconds, undefined, ctx.signal);
    throwIfCancelled(ctx.signal);
    const seconds = plan.durationSeconds;
    const share = plan.profile ? 0.85 : 0.98;
    const measured = await loop(
      session,
      feeds,
      plan.runs,
      seconds,
      (done, elapsed) =>
        report('measure', 0.02 + share * (seconds !== undefined ? elapsed / (seconds * 1000) : done / plan.runs), `${done} runs`),
      ctx.signal,
    );
    throwIfCancelled(ctx.signal);
    const peakAfterRuns = peakRss();
    let profile: BenchResult['profile'];
    if (plan.profile) {
      report('profile', 0.9, 'profiling operators');
      profile = summarizeTrace(await profileTflite(model, feeds, plan.profileRuns, threads));
    }
    report('done', 1);
    return {
      model,
      modelName: basename(model),
      modelBytes: statSync(model).size,
      runtime: 'tflite',
      executionProvider: 'xnnpack-wasm',
      threads,
      interOpThreads: 1,
      optLevel: job.config.optLevel,
      executionMode: 'sequential',
      inputs,
      initMs,
      firstMs,
      warmupRuns: warm.samples.length,
      runs: measured.samples.length,
      latencyMs: latencyStats(measured.samples),
      throughput: measured.samples.length / (measured.totalMs / 1000),
      isolation: 'thread',
      peakRssBytes: peakAfterRuns,
      baselineRssBytes,
      modelLoadRssBytes,
      samplesMs: measured.samples,
      histogram: histogram(measured.samples),
      ...(profile ? { profile } : {}),
    };
  } finally {
    await session.dispose();
  }
}
