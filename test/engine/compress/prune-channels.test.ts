import { describe, expect, it } from 'vitest';
import { pruneChannels } from '../../../src/engine/compress/passes/prune-channels';
import { channelsToKeep, filterScores } from '../../../src/engine/compress/structured/filter-importance';
import type { Value } from '../../../src/engine/ir/value';
import { intAttr, intsAttr } from '../../../src/engine/passes/util/attributes';
import { expectSameOutputs, GraphBuilder, randomFloats, runPass } from '../passes/graph-builder';

/** Scales the filters `weak` of a weight laid out [channels, per-filter] by 0.01 and zeroes the reader's inputs for them. */
function weaken(weights: Float32Array, perFilter: number, weak: number[]): Float32Array {
  for (const c of weak) for (let i = 0; i < perFilter; i++) weights[c * perFilter + i]! *= 0.01;
  return weights;
}

function zeroInputs(weights: Float32Array, rows: number, perRow: number, runs: number[], run: number): Float32Array {
  for (let r = 0; r < rows; r++) for (const c of runs) weights.fill(0, r * perRow + c * run, r * perRow + (c + 1) * run);
  return weights;
}

/**
 * x[N,2,8,8] → Conv 8 → BatchNormalization → Relu → MaxPool → depthwise Conv (8 groups) → Conv 6 (1×1) → Relu
 * → Flatten → Gemm fc1 16 (transB) → Relu → Gemm fc2 3. The filters pruning will remove are made weak and their
 * readers' weights zero, so removing them leaves the outputs as they were.
 */
function network(): { b: GraphBuilder; relu1: Value } {
  const b = new GraphBuilder();
  const x = b.input('x', ['N', 2, 8, 8]);
  const w1 = weaken(randomFloats(8 * 18, 1), 18, [1, 3, 5, 7]);
  const c1 = b.op('Conv', [x, b.weight('conv1.weight', [8, 2, 3, 3], w1), b.weight('conv1.bias', [8])], { pads: intsAttr([1, 1, 1, 1]) });
  const bnParams = ['scale', 'bias', 'mean', 'var'].map((p, i) =>
    b.weight(`bn.${p}`, [8], p === 'var' ? randomFloats(8, 9).map((v) => 1 + Math.abs(v)) : randomFloats(8, 5 + i)),
  );
  const relu1 = b.op('Relu', [b.op('BatchNormalization', [c1, ...bnParams])]);
  const pool = b.op('MaxPool', [relu1], { kernel_shape: intsAttr([2, 2]), strides: intsAttr([2, 2]) });
  const dw = b.op('Conv', [pool, b.weight('dw.weight', [8, 1, 3, 3]), b.weight('dw.bias', [8])], {
    group: intAttr(8),
    pads: intsAttr([1, 1, 1, 1]),
  });
  const w2 = weaken(zeroInputs(randomFloats(6 * 8, 2), 6, 8, [1, 3, 5, 7], 1), 8, [0, 2, 4]);
  const c2 = b.op('Conv', [dw, b.weight('conv2.weight', [6, 8, 1, 1], w2)]);
  const flat = b.op('Flatten', [b.op('Relu', [c2])]);
  const fc1w = weaken(zeroInputs(randomFloats(16 * 96, 3), 16, 96, [0, 2, 4], 16), 96, [0, 2, 4, 6, 8, 10, 12, 14]);
  const h = b.op('Relu', [
    b.op('Gemm', [flat, b.weight('fc1.weight', [16, 96], fc1w), b.weight('fc1.bias', [16])], { transB: intAttr(1) }),
  ]);
  const fc2w = zeroInputs(randomFloats(3 * 16, 4), 3, 16, [0, 2, 4, 6, 8, 10, 12, 14], 1);
  const y = b.op('Gemm', [h, b.weight('fc2.weight', [3, 16], fc2w), b.weight('fc2.bias', [3])], { transB: intAttr(1) });
  b.output(y, ['N', 3]);
  relu1.type = { kind: 'tensor', dtype: 'float32', shape: ['N', 8, 8, 8] };
  b.graph.annotated.push(relu1);
  return { b, relu1 };
}

const dims = (b: GraphBuilder, name: string): number[] => [...(b.graph.value(name)?.initializer?.dims ?? [])];

describe('structured pruning (prune-channels)', () => {
  it('ranks filters by L1, L2 and geometric median', () => {
    const filters = [Float32Array.of(1, 1), Float32Array.of(0.1, 0), Float32Array.of(-3, 0), Float32Array.of(1, 0.9)];
    expect(channelsToKeep(filterScores(filters, 'l1'), 2)).toEqual([0, 2]);
    expect(channelsToKeep(filterScores(filters, 'l2'), 2)).toEqual([0, 2]);
    // The filter farthest from the rest (-3, 0) is kept first; 0 and 3 are near each other and the middle.
    expect(channelsToKeep(filterScores(filters, 'geometric-median'), 1)).toEqual([2]);
  });

  it('removes channels through BatchNormalization, pooling, depthwise Conv and Flatten → Gemm, outputs unchanged', async () => {
    const { b, relu1 } = network();
    let result: Awaited<ReturnType<typeof runPass>> | undefined;
    await expectSameOutputs(b.model, async () => (result = await runPass(pruneChannels, b.model, { ratio: 0.5, epochs: 0 })), 1e-4);
    expect(dims(b, 'conv1.weight')).toEqual([4, 2, 3, 3]);
    expect(dims(b, 'conv1.bias')).toEqual([4]);
    expect(dims(b, 'bn.var')).toEqual([4]);
    expect(dims(b, 'dw.weight')).toEqual([4, 1, 3, 3]);
    expect(dims(b, 'conv2.weight')).toEqual([3, 4, 1, 1]);
    expect(dims(b, 'fc1.weight')).toEqual([8, 48]);
    expect(dims(b, 'fc2.weight')).toEqual([3, 8]);
    expect(b.graph.nodes.find((n) => n.opType === 'Conv' && n.int('group', 1) > 1)?.int('group', 1)).toBe(4);
    expect(relu1.type).toMatchObject({ shape: ['N', 4, 8, 8] });
    expect(result?.stats).toMatchObject({ layersPruned: 3, channelsRemoved: 4 + 3 + 8 });
    expect(result?.skipped?.map((s) => s.reason).join(' | ')).toMatch(/model output/);
  });

  it('leaves a layer whose channels meet another tensor (residual Add) as it is, saying why', async () => {
    const b = new GraphBuilder();
    const x = b.input('x', ['N', 4, 5, 5]);
    const c = b.op('Conv', [x, b.weight('c.weight', [4, 4, 1, 1])]);
    const sum = b.op('Add', [b.op('Relu', [c]), x]);
    b.output(b.op('Conv', [sum, b.weight('d.weight', [2, 4, 1, 1])]), ['N', 2, 5, 5]);
    const result = await runPass(pruneChannels, b.model, { ratio: 0.5, epochs: 0 });
    expect(result.changed).toBe(false);
    expect(result.skipped?.[0]?.reason).toMatch(/Add .* combines them with another tensor \(a residual connection/);
    expect(dims(b, 'c.weight')).toEqual([4, 4, 1, 1]);
  });

  it('asks for training data when it is to fine-tune', async () => {
    await expect(runPass(pruneChannels, network().b.model, { ratio: 0.5 })).rejects.toThrow(/needs training data/);
  });
});
