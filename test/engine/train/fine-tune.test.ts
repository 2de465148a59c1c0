import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LitheError } from '../../../src/engine/errors';
import { layoutFromShape } from '../../../src/engine/data/input-layout';
import { augmentBatch } from '../../../src/engine/train/augment';
import { loadCheckpoint } from '../../../src/engine/train/checkpoint';
import { fineTune } from '../../../src/engine/train/fine-tune';
import { Optimizer } from '../../../src/engine/train/optimizer';
import { OptimizerOptions } from '../../../src/contract/train';
import { learningRate } from '../../../src/engine/train/schedule';
import { holdOut } from '../../../src/engine/train/samples';
import { seededRandom } from '../../../src/engine/util/seeded-random';
import { tinyClassifier, tinySamples } from './tiny-task';

const dir = mkdtempSync(join(tmpdir(), 'lithe-fine-tune-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('fineTune', () => {
  it('learns a small image task: loss falls and validation accuracy rises', async () => {
    const { train, validation } = holdOut(tinySamples(240), 0.25, seededRandom(1));
    const result = await fineTune(tinyClassifier(), {
      data: train,
      validation,
      epochs: 4,
      batchSize: 16,
      lr: 0.02,
      session: { threads: 1 },
    });
    const first = result.history[0]!;
    const last = result.history[result.history.length - 1]!;
    expect(result.history).toHaveLength(4);
    expect(last.trainLoss).toBeLessThan(first.trainLoss);
    expect(last.valAccuracy).toBeGreaterThanOrEqual(0.95);
    expect(result.trainedParameters).toBe(3 * 9 + 3 + 2 * 27 + 2);
    expect([...result.weights.keys()].sort()).toEqual(['conv.b', 'conv.w', 'fc.b', 'fc.w']);
  });

  it('checkpoints every epoch; a cancel keeps the last checkpoint and resume continues from it', async () => {
    const checkpointDir = join(dir, 'ckpt');
    const data = tinySamples(96);
    const common = { data, epochs: 3, batchSize: 8, lr: 0.01, checkpointDir, session: { threads: 1 }, modelSha256: 'abc' };
    const controller = new AbortController();
    let steps = 0;
    const cancelled = fineTune(tinyClassifier(), common, {
      signal: controller.signal,
      onProgress: (p) => {
        if (p.detail?.['kind'] === 'step' && p.detail['epoch'] === 2 && ++steps === 3) controller.abort();
      },
    });
    await expect(cancelled).rejects.toThrow(/cancelled/);
    const kept = await loadCheckpoint(checkpointDir);
    expect(kept?.meta.epoch).toBe(1);
    expect(kept?.optimizer.step).toBe(12);
    const resumed = await fineTune(tinyClassifier(), { ...common, resume: true });
    expect(resumed.resumedFrom).toBe(1);
    expect(resumed.history.map((e) => e.epoch)).toEqual([1, 2, 3]);
    expect((await loadCheckpoint(checkpointDir))?.meta.epoch).toBe(3);
    await expect(fineTune(tinyClassifier(), { ...common, resume: true, modelSha256: 'other' })).rejects.toThrow(/different model/);
  });

  it('stops early and keeps the best epoch', async () => {
    const { train, validation } = holdOut(tinySamples(120), 0.3, seededRandom(2));
    // A learning rate of zero never improves after the first epoch.
    const result = await fineTune(tinyClassifier(), {
      data: train,
      validation,
      epochs: 6,
      batchSize: 16,
      lr: 1e-12,
      patience: 2,
      session: { threads: 1 },
    });
    expect(result.stoppedEarly).toBe(true);
    expect(result.history).toHaveLength(3);
    expect(result.keptEpoch).toBe(1);
  });

  it('refuses labels outside the model’s classes and data without labels or teacher', async () => {
    const data = tinySamples(16);
    data.labels![3] = 7;
    await expect(fineTune(tinyClassifier(), { data, epochs: 1, batchSize: 8, lr: 0.01 })).rejects.toThrow(
      /labels run from 0 to 7, but the model's output has 2 classes/,
    );
    const { labels: _labels, ...unlabelled } = tinySamples(16);
    await expect(fineTune(tinyClassifier(), { data: unlabelled, epochs: 1, batchSize: 8, lr: 0.01 })).rejects.toBeInstanceOf(LitheError);
  });
});

describe('optimizer and schedules', () => {
  it('SGD with momentum and AdamW match their formulas; weight decay skips biases; clipping scales the global norm', () => {
    const param = () => ({ name: 'w', dims: [2, 1], value: Float32Array.from([1, -2]), grad: Float32Array.from([0.5, 0.25]) });
    const sgd = new Optimizer(OptimizerOptions.parse({ kind: 'sgd', momentum: 0.9, weightDecay: 0.1 }));
    const p = param();
    sgd.step([p], 0.1);
    sgd.step([p], 0.1);
    // step 1: g = 0.5 + 0.1·1 = 0.6, v = 0.6, w = 0.94; step 2: g = 0.5 + 0.094 = 0.594, v = 0.54 + 0.594, w = 0.94 − 0.1134
    expect(p.value[0]).toBeCloseTo(0.94 - 0.1 * (0.9 * 0.6 + 0.594), 6);
    const adam = new Optimizer(OptimizerOptions.parse({ kind: 'adamw' }));
    const q = param();
    adam.step([q], 0.01);
    expect(q.value[0]).toBeCloseTo(1 - 0.01, 5); // the first Adam step moves each weight by lr·sign(g)
    const bias = { ...param(), dims: [2] };
    new Optimizer(OptimizerOptions.parse({ kind: 'sgd', momentum: 0, weightDecay: 0.5 })).step([bias], 1);
    expect(bias.value[0]).toBeCloseTo(0.5, 6);
    const clipped = param();
    const norm = new Optimizer(OptimizerOptions.parse({ kind: 'sgd', momentum: 0, clipNorm: 0.1 })).step([clipped], 1);
    expect(norm).toBeCloseTo(Math.hypot(0.5, 0.25), 6);
    expect(clipped.value[0]).toBeCloseTo(1 - (0.5 * 0.1) / norm, 6);
  });

  it('schedules warm up, then decay as named', () => {
    expect(learningRate('constant', 1, 50, 100)).toBe(1);
    expect(learningRate('cosine', 1, 0, 100)).toBe(1);
    expect(learningRate('cosine', 1, 50, 100)).toBeCloseTo(0.5, 6);
    expect(learningRate('step', 1, 70, 100)).toBeCloseTo(0.01, 9);
    expect(learningRate('linear', 1, 75, 100)).toBeCloseTo(0.25, 9);
    expect(learningRate('cosine', 1, 1, 100, 4)).toBeCloseTo(0.5, 9);
  });
});

describe('augmentation', () => {
  it('flips left–right and shifts with zeros coming in, per image', () => {
    const layout = layoutFromShape('x', ['N', 1, 2, 3]);
    const image = Float32Array.from([1, 2, 3, 4, 5, 6]);
    const flipped = image.slice();
    augmentBatch(flipped, 1, layout, { flip: true, shift: 0, crop: 0 }, () => 0.1);
    expect(Array.from(flipped)).toEqual([3, 2, 1, 6, 5, 4]);
    const shifted = image.slice();
    // random() = 1 → shift by +1 row and +1 column.
    augmentBatch(shifted, 1, layout, { flip: false, shift: 1, crop: 0 }, () => 0.9999);
    expect(Array.from(shifted)).toEqual([0, 0, 0, 0, 1, 2]);
  });
});
