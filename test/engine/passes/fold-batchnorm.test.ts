import { describe, expect, it } from 'vitest';
import type { Value } from '../../../src/engine/ir/value';
import { foldBatchnorm } from '../../../src/engine/passes/fold-batchnorm';
import { floatAttr, intAttr, intsAttr } from '../../../src/engine/passes/util/attributes';
import { floatTensor } from '../../../src/engine/passes/util/constants';
import ort from 'onnxruntime-node';
import { decodeOnnx, encodeOnnx } from '../../../src/engine/formats/onnx';
import type { Graph } from '../../../src/engine/ir/graph';
import { expectSameOutputs, GraphBuilder, maxRelativeError, opTypes, randomFeeds, randomFloats, runOnnx, runPass } from './graph-builder';

function batchNorm(b: GraphBuilder, x: Value, channels: number, name: string): Value {
  const positive = Array.from(randomFloats(channels, channels), (v) => 0.5 + Math.abs(v));
  return b.op(
    'BatchNormalization',
    [
      x,
      b.weight(`${name}_gamma`, [channels]),
      b.weight(`${name}_beta`, [channels]),
      b.weight(`${name}_mean`, [channels]),
      b.weight(`${name}_var`, [channels], positive),
    ],
    { epsilon: floatAttr(1e-3) },
  );
}

describe('fold-batchnorm', () => {
  it('folds BatchNormalization into Conv with and without bias (weights given as Constant nodes too)', async () => {
    const b = new GraphBuilder();
    const x = b.input('x', ['N', 3, 8, 8]);
    const c1 = b.op('Conv', [x, b.weight('w1', [4, 3, 3, 3]), b.weight('b1', [4])], { pads: intsAttr([1, 1, 1, 1]) });
    const r1 = b.op('Relu', [batchNorm(b, c1, 4, 'bn1')]);
    const c2 = b.op('Conv', [r1, b.constant(floatTensor('w2', [6, 2, 1, 1], randomFloats(12, 3)))], { group: intAttr(2) });
    b.output(batchNorm(b, c2, 6, 'bn2'), ['N', 6, 8, 8]);
    await expectSameOutputs(b.model, async () => {
      const r = await runPass(foldBatchnorm, b.model);
      expect(r.stats.batchNormsFolded).toBe(2);
    });
    expect(opTypes(b.model)).toEqual(['Conv', 'Relu', 'Conv']);
  });

  it('folds BatchNormalization into Gemm (transB 0 and 1)', async () => {
    for (const transB of [0, 1]) {
      const b = new GraphBuilder();
      const x = b.input('x', ['N', 5]);
      const g = b.op('Gemm', [x, b.weight('w', transB ? [3, 5] : [5, 3]), b.weight('c', [3])], {
        transB: intAttr(transB),
        alpha: floatAttr(0.5),
        beta: floatAttr(2),
      });
      b.output(batchNorm(b, g, 3, 'bn'), ['N', 3]);
      await expectSameOutputs(b.model, () => runPass(foldBatchnorm, b.model));
      expect(opTypes(b.model)).toEqual(['Gemm']);
    }
  });

  it('folds a chain of bias Add, per-channel Mul and BatchNormalization into Conv and ConvTranspose', async () => {
    const b = new GraphBuilder();
    const x = b.input('x', ['N', 3, 5, 5]);
    const conv = b.op('Conv', [x, b.weight('w', [4, 3, 3, 3])]);
    const biased = b.op('Add', [b.weight('cb', [1, 4, 1, 1]), conv]);
    const scaled = b.op('Mul', [biased, b.weight('cs', [4, 1, 1])]);
    const up = b.op('ConvTranspose', [b.op('Relu', [scaled]), b.weight('wt', [4, 2, 2, 2])], { strides: intsAttr([2, 2]) });
    const upBiased = b.op('Sub', [up, b.weight('tb', [2, 1, 1])]);
    const notPerChannel = b.op('Add', [batchNorm(b, upBiased, 2, 'bn'), b.weight('row', [6])]);
    b.output(notPerChannel, ['N', 2, 6, 6]);
    await expectSameOutputs(b.model, async () => {
      const r = await runPass(foldBatchnorm, b.model);
      expect(r.stats).toMatchObject({ batchNormsFolded: 1, addsFolded: 2, mulsFolded: 1 });
    });
    expect(opTypes(b.model)).toEqual(['Conv', 'Relu', 'ConvTranspose', 'Add']);
  });

  it('leaves the pair alone when the Conv result is also used elsewhere', async () => {
    const b = new GraphBuilder();
    const x = b.input('x', [1, 2, 4, 4]);
    const c = b.op('Conv', [x, b.weight('w', [2, 2, 1, 1])]);
    b.output(batchNorm(b, c, 2, 'bn'), [1, 2, 4, 4]).output(c, [1, 2, 4, 4]);
    const r = await runPass(foldBatchnorm, b.model);
    expect(r.changed).toBe(false);
    expect(r.skipped).toEqual([{ node: 'BatchNormalization_2', reason: "the output of Conv 'Conv_1' is also used elsewhere" }]);
  });

  it('folds inside If branches too, and says why a BatchNormalization after a weight computed at run time stays', async () => {
    const b = new GraphBuilder();
    const x = b.input('x', [1, 3, 4, 4]);
    const flag = b.input('flag', [], 'bool');
    const w = b.weight('w', [3, 3, 1, 1]);
    const branch = (name: string, constantWeight: boolean): Graph => {
      const inner = new GraphBuilder();
      inner.graph.name = name;
      inner.graph.parent = b.graph;
      const weight = constantWeight ? w : inner.op('Neg', [w]);
      const y = batchNorm(inner, inner.op('Conv', [x, weight]), 3, `${name}_bn`);
      inner.output(y, [1, 3, 4, 4]);
      return inner.graph;
    };
    const y = b.op('If', [flag], {
      then_branch: { kind: 'graph', value: branch('then', true) },
      else_branch: { kind: 'graph', value: branch('else', false) },
    });
    b.output(y, [1, 3, 4, 4]);
    for (const value of [true, false]) {
      const feeds = { ...randomFeeds(b.model), flag: new ort.Tensor('bool', [value], []) };
      const before = await runOnnx(encodeOnnx(b.model), feeds);
      const copy = decodeOnnx(encodeOnnx(b.model));
      const r = await runPass(foldBatchnorm, copy);
      expect(r.stats.batchNormsFolded).toBe(1);
      expect(r.skipped?.map((s) => s.reason)).toEqual(["the weights of Conv 'Conv_2' are not a float32 constant"]);
      expect(maxRelativeError(before, await runOnnx(encodeOnnx(copy), feeds))).toBeLessThan(1e-5);
    }
  });

  it('writes the folded weights under the names they replace, so the file does not grow', async () => {
    const b = new GraphBuilder();
    const x = b.input('x', ['N', 3, 6, 6]);
    const conv = b.op('Conv', [x, b.weight('w', [4, 3, 3, 3]), b.weight('b', [4])]);
    const biased = b.op('Add', [conv, b.weight('extra_bias_with_a_long_name', [1, 4, 1, 1])]);
    b.output(batchNorm(b, biased, 4, 'bn'), ['N', 4, 4, 4]);
    const before = encodeOnnx(b.model).byteLength;
    await expectSameOutputs(b.model, () => runPass(foldBatchnorm, b.model));
    expect(opTypes(b.model)).toEqual(['Conv']);
    expect(b.graph.initializers.map((t) => t.name)).toEqual(['w', 'b']);
    expect(encodeOnnx(b.model).byteLength).toBeLessThan(before);
  });
});
