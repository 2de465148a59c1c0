import { afterAll, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { BenchResult, BenchRunArgs, BenchRunResult } from '../../../src/contract/bench';
import { benchRun } from '../../../src/engine/bench/bench-run';
import type { ConfigJob } from '../../../src/engine/bench/run-config';
import type { EngineContext } from '../../../src/engine/context';
import { JobRunner } from '../../../src/engine/jobs/job-runner';
import { engineTask } from '../../../src/engine/jobs/task-ref';
import { FACE_SHORT_TFLITE, PPOCR_CLS_ONNX } from '../../fixtures/real-models';
import { legacyOpset1, matmulChain, modelFolder, notAModel } from './tiny-models';
import { at } from '../../helpers/at';

const folder = modelFolder();
const runner = new JobRunner({ concurrency: 1 });
afterAll(async () => {
  await runner.close();
  rmSync(folder, { recursive: true, force: true });
});
const viaJobs = (job: ConfigJob, ctx: EngineContext): Promise<BenchResult> => runner.run(engineTask('benchConfig'), job, ctx);

// Each configuration starts a job worker and a child process: slow on a busy machine, hence the timeouts.
describe('bench run', { timeout: 180_000 }, () => {
  it('measures a real model in its own job and process with every field, a profile and the assumptions', async () => {
    const progress: number[] = [];
    const args = BenchRunArgs.parse({
      models: [PPOCR_CLS_ONNX],
      plan: { runs: 15, warmupRuns: 2, profile: true, profileRuns: 3 },
      inputs: { dims: { 'p2o.DynamicDimension.1': 48, 'p2o.DynamicDimension.2': 192 } },
    });
    const outcome = BenchRunResult.parse(await benchRun(args, viaJobs, { onProgress: (p) => progress.push(p.fraction ?? 0) }));
    expect(outcome.failures).toEqual([]);
    const result = at(outcome.results, 0);
    expect(result.model).toBe(PPOCR_CLS_ONNX);
    expect(result).toMatchObject({
      runtime: 'onnxruntime',
      executionProvider: 'cpu',
      threads: 1,
      optLevel: 'all',
      executionMode: 'sequential',
      runs: 15,
      warmupRuns: 2,
    });
    for (const key of ['min', 'mean', 'p50', 'p90', 'p95', 'p99', 'max'] as const) expect(result.latencyMs[key]).toBeGreaterThan(0);
    expect(result.latencyMs.min).toBeLessThanOrEqual(result.latencyMs.p50);
    expect(result.latencyMs.p50).toBeLessThanOrEqual(result.latencyMs.p99);
    expect(result.latencyMs.p99).toBeLessThanOrEqual(result.latencyMs.max);
    expect(result.initMs).toBeGreaterThan(0);
    expect(result.firstMs).toBeGreaterThan(0);
    expect(result.throughput).toBeGreaterThan(0);
    expect(result.isolation).toBe('process');
    expect(result.peakRssBytes).toBeGreaterThan(result.baselineRssBytes);
    expect(result.samplesMs).toHaveLength(15);
    expect(result.histogram.counts.reduce((a, b) => a + b, 0)).toBe(15);
    expect(at(result.inputs, 0).shape).toEqual([1, 3, 48, 192]);
    expect(at(result.inputs, 0).assumed).toEqual(['dim "p2o.DynamicDimension.0" (axis 0) = 1: batch default']);
    expect(result.profile?.runs).toBe(3);
    expect(result.profile?.byOpType.some((op) => op.opType === 'Conv')).toBe(true);
    expect(result.profile?.byNode.length).toBeGreaterThan(0);
    expect(progress.at(-1)).toBeGreaterThan(0.9);
  });

  it('sweeps threads and reports bad models as clear failures without stopping', async () => {
    const tiny = matmulChain(folder, 'tiny.onnx', 2, 32);
    const legacy = legacyOpset1(folder);
    const text = notAModel(folder);
    const args = BenchRunArgs.parse({ models: [tiny, legacy, text], sweep: { threads: [1, 2] }, plan: { runs: 5, warmupRuns: 1 } });
    const outcome = await benchRun(args, viaJobs);
    expect(outcome.results.map((r) => r.threads)).toEqual([1, 2]);
    expect(outcome.failures).toHaveLength(4);
    const legacyFailure = outcome.failures.find((f) => f.model === legacy);
    expect(legacyFailure?.code).toBe('unsupported');
    expect(legacyFailure?.message).toContain('cannot run in this runtime');
    expect(legacyFailure?.message).toContain(legacy);
    expect(outcome.failures.find((f) => f.model === text)?.code).toBe('not-a-model');
  });

  it('measures a TFLite model in the TFLite runtime, one configuration per thread count', async () => {
    const args = BenchRunArgs.parse({
      models: [FACE_SHORT_TFLITE],
      sweep: { threads: [1, 2] },
      plan: { runs: 5, warmupRuns: 1, profile: true, profileRuns: 2 },
    });
    const outcome = BenchRunResult.parse(await benchRun(args, viaJobs));
    expect(outcome.failures).toEqual([]);
    expect(outcome.results.map((r) => r.threads)).toEqual([1, 2]);
    const result = at(outcome.results, 0);
    expect(result).toMatchObject({ runtime: 'tflite', executionProvider: 'xnnpack-wasm', threads: 1, runs: 5 });
    expect(at(outcome.results, 1)).toMatchObject({ runtime: 'tflite', threads: 2, runs: 5 });
    expect(at(result.inputs, 0)).toMatchObject({ dtype: 'float32', shape: [1, 128, 128, 3] });
    expect(result.latencyMs.p50).toBeGreaterThan(0);
    expect(result.profile?.byOpType.length).toBeGreaterThan(0);
  });
});
