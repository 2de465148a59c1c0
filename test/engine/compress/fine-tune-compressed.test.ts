import { describe, expect, it } from 'vitest';
import { project, structureOf } from '../../../src/engine/compress/finetune/structure';
import { clusterWeightsPass } from '../../../src/engine/compress/passes/cluster-weights';
import { fineTuneCompressedPass } from '../../../src/engine/compress/passes/fine-tune-compressed';
import { pruneGradual } from '../../../src/engine/compress/passes/prune-gradual';
import { countZeros } from '../../../src/engine/compress/prune/magnitude';
import { readFloats, roundToHalf } from '../../../src/engine/compress/weights/float-data';
import { weightLayers } from '../../../src/engine/compress/weights/weight-layers';
import { sourceOf, tinyClassifier, tinySamples } from '../train/tiny-task';

describe('fine-tuning compressed weights', () => {
  it('puts weights back to their zeros and to their clusters’ means', () => {
    const structure = structureOf('w', Float32Array.from([0, 0.5, 0.5, -1, 0, -1, 0.5, 0.5, -1, 0.5]));
    expect(structure.clusters).toBe(2);
    const moved = Float32Array.from([0.1, 0.4, 0.7, -0.9, -0.2, -1.3, 0.5, 0.6, -1.1, 0.3]);
    project(moved, structure);
    expect([...moved].map((v) => Math.round(v * 1e5) / 1e5)).toEqual([0, 0.5, 0.5, -1.1, 0, -1.1, 0.5, 0.5, -1.1, 0.5]);
  });

  it('prunes gradually, then clusters, and training keeps both zeros and shared values', async () => {
    const model = tinyClassifier();
    const data = sourceOf(tinySamples(256));
    const ctx = { data };
    const pruned = await pruneGradual.run(
      model,
      pruneGradual.options.parse({ sparsity: 0.6, steps: 2, epochsPerStep: 2, lr: 0.01, batchSize: 32 }),
      ctx,
    );
    expect(pruned.stats['sparsityPercent']).toBeGreaterThan(55);
    const zerosAfterPruning = weightLayers(model).map((l) => countZeros(readFloats(l.tensor)));
    await clusterWeightsPass.run(model, clusterWeightsPass.options.parse({ bits: 2 }), ctx);
    const tuned = await fineTuneCompressedPass.run(
      model,
      fineTuneCompressedPass.options.parse({ epochs: 2, lr: 0.01, batchSize: 32 }),
      ctx,
    );
    expect(tuned.notes?.[0]).toMatch(/training accuracy/);
    weightLayers(model).forEach((layer, i) => {
      const values = readFloats(layer.tensor);
      expect(countZeros(values)).toBe(zerosAfterPruning[i]);
      const shared = new Set(values.filter((v) => v !== 0));
      expect(shared.size).toBeLessThanOrEqual(4);
      for (const v of shared) expect(roundToHalf(v)).toBe(v);
    });
  });

  it('refuses to fine-tune without real data, and says why', async () => {
    await expect(fineTuneCompressedPass.run(tinyClassifier(), fineTuneCompressedPass.options.parse({}), {})).rejects.toThrow(
      /needs training data/,
    );
  });
});
