// Cross-layer equalization on built models whose channels are badly scaled against each other.
import ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { encodeOnnx } from '../../../src/engine/formats/onnx';
import { Model } from '../../../src/engine/ir/model';
import { equalizeChannels } from '../../../src/engine/quantize/equalize/equalize-pass';
import { staticInt8 } from '../../../src/engine/quantize/static-int8';
import { decodeOnnx } from '../../../src/engine/formats/onnx';
import { GraphBuilder, expectSameOutputs, maxRelativeError, randomFloats, runOnnx, runPass } from '../passes/graph-builder';
import { syntheticData } from './tiny-models';
import { snapshotCodec } from '../../../src/engine/optimize/snapshot-codec';
import { runPipeline } from '../../../src/engine/passes/pipeline';
import { checkRecipe } from '../../../src/engine/recipes/resolve-recipe';
import type { Verification } from '../../../src/engine/verify/verifier';

const ints = (values: number[]) => ({ kind: 'ints' as const, value: values.map(BigInt) });

/** Channel c of a [out, …] weight scaled by `scale(c)`. */
function scaledRows(dims: number[], seed: number, scale: (c: number) => number): Float32Array {
  const inner = dims.slice(1).reduce((a, b) => a * b, 1);
  return randomFloats(
    dims.reduce((a, b) => a * b, 1),
    seed,
  ).map((v, e) => v * scale(Math.floor(e / inner)));
}

/**
 * x[1,4,8,8] → Conv 3×3 (16) → Relu → depthwise Conv 3×3 → MaxPool → Conv 1×1 (8): the 16 channels
 * between span four orders of magnitude in the first layer, the other way round in the depthwise one.
 */
function unbalancedCnn(): Model {
  const b = new GraphBuilder(13);
  const x = b.input('x', [1, 4, 8, 8]);
  const wide = (c: number): number => 10 ** (c % 4) / 100;
  const pad = { pads: ints([1, 1, 1, 1]) };
  const h1 = b.op('Relu', [
    b.op('Conv', [x, b.weight('w1', [16, 4, 3, 3], scaledRows([16, 4, 3, 3], 1, wide)), b.weight('b1', [16])], pad, 'conv1'),
  ]);
  const dw = b.op(
    'Conv',
    [
      h1,
      b.weight(
        'w2',
        [16, 1, 3, 3],
        scaledRows([16, 1, 3, 3], 2, (c) => 1 / wide(c) / 100),
      ),
      b.weight('b2', [16]),
    ],
    { ...pad, group: { kind: 'int', value: 16n } },
    'depthwise',
  );
  const pool = b.op('MaxPool', [dw], { kernel_shape: ints([2, 2]), strides: ints([2, 2]) });
  const y = b.op('Conv', [pool, b.weight('w3', [8, 16, 1, 1]), b.weight('b3', [8])], {}, 'conv3');
  b.output(y, [1, 8, 4, 4]);
  return b.model;
}

const copy = (m: Model): Model => decodeOnnx(encodeOnnx(m));

describe('equalize-channels', () => {
  it('leaves the outputs unchanged within float rounding and balances the channel ranges', async () => {
    const model = unbalancedCnn();
    const range = (name: string): number[] => {
      const w = model.graph.nodes.find((n) => n.outputs[0]?.name === name)!.inputs[1]!.initializer!.toTypedArray() as Float32Array;
      const rows = 16;
      const inner = w.length / rows;
      return Array.from({ length: rows }, (_, c) => Math.max(...Array.from(w.subarray(c * inner, (c + 1) * inner), Math.abs)));
    };
    const spread = (r: number[]): number => Math.max(...r) / Math.min(...r);
    expect(spread(range('conv1'))).toBeGreaterThan(500);
    let stats: Record<string, number> = {};
    await expectSameOutputs(model, async () => (stats = (await runPass(equalizeChannels, model)).stats), 1e-5);
    expect(stats).toEqual({ layerPairs: 2, layersRescaled: 3 });
    expect(spread(range('conv1'))).toBeLessThan(20);
  });

  it('keeps to the pairs with a depthwise layer when asked', async () => {
    // conv1 → depthwise and depthwise → conv3 both have the depthwise layer; a conv → conv pair is left alone.
    const model = unbalancedCnn();
    const depthwise = await runPass(equalizeChannels, model, { pairs: 'depthwise' });
    expect(depthwise.stats).toEqual({ layerPairs: 2, layersRescaled: 3 });
    const b = new GraphBuilder(13);
    const x = b.input('x', [1, 4, 6, 6]);
    const w1 = b.weight(
      'w1',
      [8, 4, 1, 1],
      scaledRows([8, 4, 1, 1], 3, (c) => 10 ** (c % 3)),
    );
    const c1 = b.op('Relu', [b.op('Conv', [x, w1], {}, 'c1')]);
    b.output(b.op('Conv', [c1, b.weight('w2', [8, 8, 1, 1])], {}, 'c2'), [1, 8, 6, 6]);
    expect((await runPass(equalizeChannels, copy(b.model), { pairs: 'depthwise' })).changed).toBe(false);
    expect((await runPass(equalizeChannels, copy(b.model))).stats).toEqual({ layerPairs: 1, layersRescaled: 2 });
  });

  it('makes per-tensor int8 weights lose less', async () => {
    const model = unbalancedCnn();
    // Inputs in [0, 1), as the calibration data.
    const feeds = {
      x: new ort.Tensor(
        'float32',
        randomFloats(256, 9).map((v) => (v + 1) / 2),
        [1, 4, 8, 8],
      ),
    };
    const reference = await runOnnx(encodeOnnx(model), feeds);
    const int8Error = async (m: Model): Promise<number> => {
      const data = syntheticData([4, 8, 8], 16);
      await staticInt8.run(m, staticInt8.options.parse({ perChannel: false, samples: 16 }), { data });
      return maxRelativeError(reference, await runOnnx(encodeOnnx(m), feeds));
    };
    const plain = await int8Error(copy(model));
    const equalized = copy(model);
    await runPass(equalizeChannels, equalized);
    const after = await int8Error(equalized);
    expect(after).toBeLessThan(plain / 3);
  });

  it('does not pair layers across a clipping activation or a fork', async () => {
    const b = new GraphBuilder(13);
    const x = b.input('x', [1, 4, 6, 6]);
    const c1 = b.op('Conv', [x, b.weight('w1', [8, 4, 1, 1])], {}, 'c1');
    const clipped = b.op('Clip', [c1, b.weight('lo', [], [0]), b.weight('hi', [], [6])]);
    const c2 = b.op('Conv', [clipped, b.weight('w2', [8, 8, 1, 1])], {}, 'c2');
    const c3 = b.op('Conv', [c2, b.weight('w3', [8, 8, 1, 1])], {}, 'c3');
    const c4 = b.op('Conv', [c2, b.weight('w4', [8, 8, 1, 1])], {}, 'c4');
    b.output(c3, [1, 8, 6, 6]);
    b.output(c4, [1, 8, 6, 6]);
    const r = await runPass(equalizeChannels, b.model);
    expect(r.changed).toBe(false);
  });

  it('is undone with the quantization it prepares when that one is undone, leaving the model as it was', async () => {
    const model = unbalancedCnn();
    const original = encodeOnnx(model);
    const recipe = checkRecipe({
      name: 'test',
      title: 'test',
      description: '',
      steps: [
        { pass: 'equalize-channels', options: {} },
        { pass: 'quantize-int8-dynamic', options: {} },
      ],
    });
    // A verifier that passes the exact rewrite and fails the int8 step, as a model that int8 breaks would.
    let checks = 0;
    const verify = async (): Promise<Verification> =>
      ({
        passed: ++checks === 1,
        verdict: checks === 1 ? 'within-rounding' : 'changed',
        words: 'changed: cosine 0.5',
      }) as unknown as Verification;
    const [equalize, quantize] = await runPipeline(model, recipe, { ...snapshotCodec('onnx', 'test.onnx'), verify });
    expect(quantize?.undone?.reason).toMatch(/changed the results/);
    expect(equalize?.changed).toBe(false);
    expect(equalize?.undone?.reason).toMatch(/prepares step 2 .*which was undone; undone with it/);
    expect(encodeOnnx(model)).toEqual(original);
  });
});
