import { afterAll, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { BenchCompareArgs, BenchCompareResult } from '../../../src/contract/bench';
import { runCompare } from '../../../src/engine/bench/run-compare';
import { matmulChain, modelFolder } from './tiny-models';
import { FACE_SHORT_TFLITE } from '../../fixtures/real-models';

// Robust on a busy 2-core machine: many interleaved pairs, a paired bootstrap, and a 5 % minimum
// effect; the "more work" model does 8× the arithmetic, so its verdict does not hinge on timing.
const folder = modelFolder();
const base = matmulChain(folder, 'base.onnx', 4, 128);
const heavier = matmulChain(folder, 'heavier.onnx', 32, 128);
afterAll(() => rmSync(folder, { recursive: true, force: true }));
const side = (model: string): { model: string } => ({ model });

describe('A/B comparison', { timeout: 120_000 }, () => {
  it('finds the model with deliberately added work slower, and warns when it was meant to be optimized', async () => {
    const args = BenchCompareArgs.parse({
      a: side(base),
      b: side(heavier),
      pairs: 200,
      warmupRuns: 10,
      bIsOptimized: true,
      inputs: { dims: { N: 16 } },
    });
    const result = BenchCompareResult.parse(await runCompare(args));
    expect(result.verdict).toBe('slower');
    expect(result.ratio.low).toBeGreaterThan(1.05);
    expect(result.summary).toMatch(/^B is (\d+ %|[\d.]+×) slower than A/);
    expect(result.warning?.likelyCauses.length).toBeGreaterThan(0);
    expect(result.a.samplesMs).toHaveLength(200);
    expect(result.b.samplesMs).toHaveLength(200);
  });

  it('finds the faster direction too', async () => {
    const args = BenchCompareArgs.parse({ a: side(heavier), b: side(base), pairs: 100, warmupRuns: 5, inputs: { dims: { N: 16 } } });
    const result = await runCompare(args);
    expect(result.verdict).toBe('faster');
    expect(result.warning).toBeUndefined();
  });

  it('says "no significant difference" for a model against itself', async () => {
    const args = BenchCompareArgs.parse({
      a: side(base),
      b: side(base),
      pairs: 600,
      warmupRuns: 20,
      bIsOptimized: true,
      inputs: { dims: { N: 16 } },
    });
    const result = await runCompare(args);
    expect(result.verdict).toBe('no-significant-difference');
    expect(result.ratio.low).toBeLessThan(result.ratio.high);
    expect(result.warning).toBeUndefined();
  });

  it('compares TFLite models in the TFLite runtime', async () => {
    const args = BenchCompareArgs.parse({ a: side(FACE_SHORT_TFLITE), b: side(FACE_SHORT_TFLITE), pairs: 60, warmupRuns: 3 });
    const result = await runCompare(args);
    expect(result.a.config).toMatchObject({ runtime: 'tflite', executionProvider: 'xnnpack-wasm' });
    expect(result.b.samplesMs).toHaveLength(60);
    expect(['faster', 'slower', 'no-significant-difference']).toContain(result.verdict);
  });

  it('compares one TFLite model at 1 and 2 threads, each side on its own thread count', async () => {
    const args = BenchCompareArgs.parse({
      a: { model: FACE_SHORT_TFLITE, config: { threads: 1 } },
      b: { model: FACE_SHORT_TFLITE, config: { threads: 2 } },
      pairs: 40,
      warmupRuns: 3,
    });
    const result = await runCompare(args);
    expect(result.a.config).toMatchObject({ runtime: 'tflite', threads: 1 });
    expect(result.b.config).toMatchObject({ runtime: 'tflite', threads: 2 });
    expect(result.b.samplesMs).toHaveLength(40);
  });
});
