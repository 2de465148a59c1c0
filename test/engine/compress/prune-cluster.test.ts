import { describe, expect, it } from 'vitest';
import { clusterWeights } from '../../../src/engine/compress/cluster/cluster-weights';
import { kmeans1d } from '../../../src/engine/compress/cluster/kmeans';
import { clusterWeightsPass } from '../../../src/engine/compress/passes/cluster-weights';
import { pruneMagnitude } from '../../../src/engine/compress/passes/prune-magnitude';
import { countZeros, pruneByMagnitude, pruneNofM } from '../../../src/engine/compress/prune/magnitude';
import { readFloats } from '../../../src/engine/compress/weights/float-data';
import { weightLayers } from '../../../src/engine/compress/weights/weight-layers';
import { encodeOnnx } from '../../../src/engine/formats/onnx';
import { measureSize } from '../../../src/engine/compress/size/measure-size';
import { randomFeeds, randomFloats, runOnnx, runPass } from '../passes/graph-builder';
import { convNet, cosine } from './conv-net';

describe('magnitude pruning', () => {
  it('zeroes exactly the requested share, smallest magnitudes first', () => {
    const values = Float32Array.from([0.5, -0.1, 0.3, -0.9, 0.1, 0.2, 0, -0.4]);
    expect(pruneByMagnitude(values, 0.5)).toBe(4);
    expect([...values]).toEqual([0.5, 0, 0.3, -0.9, 0, 0, 0, -0.4].map(Math.fround));
  });

  it('keeps N of every M along the input axis', () => {
    const dims = [3, 8, 2]; // out, in, k
    const values = randomFloats(48, 3);
    pruneNofM(values, dims, 1, 2, 4);
    for (let o = 0; o < 3; o++)
      for (let k = 0; k < 2; k++)
        for (let g = 0; g < 8; g += 4) {
          const group = [0, 1, 2, 3].map((j) => values[o * 16 + (g + j) * 2 + k]!);
          expect(group.filter((v) => v !== 0)).toHaveLength(2);
        }
    expect(countZeros(values)).toBe(24);
  });

  it('prunes by a table of layer names, refuses names that match no layer, and the model still runs', async () => {
    const b = convNet();
    const result = await runPass(pruneMagnitude, b.model, { sparsity: 0.5, layers: { fc1: 0.9 } });
    const [conv, fc] = weightLayers(b.model);
    expect(countZeros(readFloats(fc!.tensor))).toBe(Math.round(0.9 * 5120));
    expect(countZeros(readFloats(conv!.tensor))).toBe(72);
    expect(result.stats).toMatchObject({ layersPruned: 2 });
    expect(result.notes?.join(' ')).toMatch(/fc1\/Gemm 90 %/);
    await runOnnx(encodeOnnx(b.model), randomFeeds(b.model));
    await expect(runPass(pruneMagnitude, convNet().model, { sparsity: 0.5, layers: { fc9: 0.9 } })).rejects.toThrow(
      /"fc9" names no layer with weights; the layers are \/conv1\/Conv, \/fc1\/Gemm/,
    );
  });

  it('says sparsity over the whole model, and over the pruned layers apart', async () => {
    // conv1 has 144 weights, fc1 5120: half of conv1 pruned is 72 zeros of 5264.
    const result = await runPass(pruneMagnitude, convNet().model, { sparsity: 0.5, exclude: ['fc1'] });
    expect(result.stats).toMatchObject({ layersPruned: 1, weightsZero: 72, sparsityPercent: 1.4, prunedLayersSparsityPercent: 50 });
    expect(result.notes?.[0]).toBe("1.4 % of the model's weights are zero (50 % in the 1 pruned layer of 2).");
  });

  it('chooses per-layer rates that keep the fidelity target', async () => {
    const b = convNet();
    const feeds = randomFeeds(b.model);
    const before = await runOnnx(encodeOnnx(b.model), feeds);
    const result = await runPass(pruneMagnitude, b.model, { target: { metric: 'cosine', value: 0.98 }, samples: 8 });
    expect(result.stats['scanRuns']).toBeGreaterThan(2);
    expect(result.stats['sparsityPercent']).toBeGreaterThan(20);
    const after = await runOnnx(encodeOnnx(b.model), feeds);
    const [x, y] = [before[Object.keys(before)[0]!]!.data, after[Object.keys(after)[0]!]!.data];
    expect(cosine(x, y)).toBeGreaterThan(0.95);
  });
});

describe('weight clustering', () => {
  it('finds the centroids of separated groups and keeps at most k values', () => {
    const values = [...Array(50).fill(-1), ...Array(30).fill(0.5), ...Array(20).fill(2)].map((v, i) => v + ((i % 5) - 2) * 0.01);
    for (const init of ['linear', 'density'] as const) {
      const c = kmeans1d(values, 3, init);
      expect(c.map((x) => Math.round(x * 10) / 10)).toEqual([-1, 0.5, 2]);
    }
    // Random starts can settle in a worse local optimum (why Deep Compression prefers linear), never above k.
    expect(kmeans1d(values, 3, 'random').length).toBeLessThanOrEqual(3);
    const clustered = clusterWeights(Float32Array.from([0, ...values]), {
      clusters: 3,
      init: 'linear',
      keepZeros: true,
      round: Math.fround,
    });
    expect(new Set(clustered.values).size).toBe(4);
    expect(clustered.values[0]).toBe(0);
  });

  it('leaves 2^bits float16-exact values per layer, which the package codes in about `bits` bits a weight', async () => {
    const b = convNet();
    await runPass(pruneMagnitude, b.model, { sparsity: 0.7 });
    const result = await runPass(clusterWeightsPass, b.model, { bits: 3, layers: { conv1: 4 } });
    expect(result.stats['layersClustered']).toBe(2);
    const [conv, fc] = weightLayers(b.model).map((l) => readFloats(l.tensor));
    expect(new Set(fc).size).toBeLessThanOrEqual(9);
    expect(new Set(conv).size).toBeLessThanOrEqual(17);
    expect(countZeros(fc!)).toBe(Math.round(0.7 * 5120));
    const { report } = await measureSize(encodeOnnx(b.model), 'onnx');
    const fcSize = report.tensors.find((t) => t.name === 'fc1.weight')!;
    expect(fcSize.coding).toMatch(/sparse|codebook/);
    expect((8 * fcSize.packageBytes) / fcSize.elements).toBeLessThan(2); // 30 % non-zero × (3 bits + position)
  });
});
