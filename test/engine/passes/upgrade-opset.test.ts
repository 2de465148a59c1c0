import { describe, expect, it } from 'vitest';
import { encodeOnnx } from '../../../src/engine/formats/onnx';
import type { AttributeValue } from '../../../src/engine/ir/attribute';
import { upgradeOpset } from '../../../src/engine/passes/upgrade-opset';
import { floatAttr, intAttr, intsAttr, stringAttr } from '../../../src/engine/passes/util/attributes';
import { floatTensor } from '../../../src/engine/passes/util/constants';
import { GraphBuilder, maxRelativeError, opTypes, randomFeeds, randomFloats, runOnnx, runPass } from './graph-builder';
import { at, entry } from '../../helpers/at';

/** The same small network written with opset-1 conventions or with opset-13 ones. */
function network(legacy: boolean): GraphBuilder {
  const b = new GraphBuilder(legacy ? 1 : 13);
  if (legacy) b.model.irVersion = 3;
  const consumed: Record<string, AttributeValue> = legacy ? { consumed_inputs: intsAttr([0]) } : {};
  const x = b.input('x', [1, 2, 6, 6]);
  const conv = b.op('Conv', [x, b.weight('w', [4, 2, 3, 3])], { kernel_shape: intsAttr([3, 3]) });
  const bias = b.constant(floatTensor('bias', legacy ? [4] : [4, 1, 1], randomFloats(4, 9)));
  const added = b.op('Add', [conv, bias], legacy ? { broadcast: intAttr(1), axis: intAttr(1), ...consumed } : {});
  const bnParams = ['g', 'b', 'm', 'v'].map((n, i) =>
    b.weight(
      n,
      [4],
      Array.from(randomFloats(4, 20 + i), (r) => (n === 'v' ? 1 + Math.abs(r) : r)),
    ),
  );
  const bn = b.op(
    'BatchNormalization',
    [added, ...bnParams],
    legacy ? { is_test: intAttr(1), spatial: intAttr(1), epsilon: floatAttr(1e-4), ...consumed } : { epsilon: floatAttr(1e-4) },
  );
  const relu = b.op('Relu', [bn], consumed);
  const clipped = legacy
    ? b.op('Clip', [relu], { min: floatAttr(0.1), max: floatAttr(0.9) })
    : b.op('Clip', [relu, b.weight('lo', [], [0.1]), b.weight('hi', [], [0.9])]);
  const flat = legacy ? b.op('Reshape', [clipped], { shape: intsAttr([1, 64]) }) : b.op('Reshape', [clipped, b.ints('shape', [1, 64])]);
  const both = b.op('Concat', [flat, flat], legacy ? {} : { axis: intAttr(1) });
  const dropped = b.op('Dropout', [both], legacy ? { is_test: intAttr(1), ratio: floatAttr(0.5) } : {});
  const fc = b.op('Gemm', [dropped, b.weight('fc', [128, 5]), b.weight('fc_b', [1, 5])], legacy ? { broadcast: intAttr(1) } : {});
  const first = legacy
    ? b.op('Slice', [fc], { starts: intsAttr([1]), ends: intsAttr([4]), axes: intsAttr([1]) })
    : b.op('Slice', [fc, b.ints('starts', [1]), b.ints('ends', [4]), b.ints('axes', [1])]);
  b.output(b.op('Softmax', [first], legacy ? {} : { axis: intAttr(-1) }), [1, 3]);
  return b;
}

describe('upgrade-opset', () => {
  it('upgrades an opset-1 network so onnxruntime loads it and it matches the opset-13 version', async () => {
    const legacy = network(true);
    const modern = network(false);
    const r = await runPass(upgradeOpset, legacy.model);
    expect(r.stats).toMatchObject({ fromOpset: 1, toOpset: 13 });
    expect(legacy.model.opsetVersion('')).toBe(13);
    expect(legacy.model.irVersion).toBe(7);
    const feeds = randomFeeds(modern.model);
    const expected = await runOnnx(encodeOnnx(modern.model), feeds);
    const actual = await runOnnx(encodeOnnx(legacy.model), feeds);
    expect(maxRelativeError(expected, actual)).toBeLessThanOrEqual(1e-6);
  });

  it('keeps the old Softmax meaning (normalize over everything after axis) on 4-D inputs', async () => {
    const b = new GraphBuilder(9);
    const x = b.input('x', [2, 3, 2, 2]);
    b.output(b.op('Softmax', [x], { axis: intAttr(1) }), [2, 3, 2, 2]);
    await runPass(upgradeOpset, b.model, { target: 13 });
    expect(opTypes(b.model)).toEqual(['Shape', 'Flatten', 'Softmax', 'Reshape']);
    const feeds = randomFeeds(b.model);
    const out = await runOnnx(encodeOnnx(b.model), feeds);
    const input = entry(feeds, 'x', 'feeds').data as Float32Array;
    const got = entry(out, at(b.graph.outputs, 0).name, 'outputs').data;
    for (let n = 0; n < 2; n++) {
      const row = Array.from(input.subarray(n * 12, n * 12 + 12), Math.exp);
      const sum = row.reduce((a, c) => a + c, 0);
      row.forEach((e, i) => expect(Number(got[n * 12 + i])).toBeCloseTo(e / sum, 6));
    }
  });

  it('inserts an Unsqueeze for legacy axis broadcasting of a non-constant input, and converts Cast names and Squeeze axes', async () => {
    const b = new GraphBuilder(6);
    const x = b.input('x', [2, 3, 4]);
    const y = b.input('y', [3]);
    const sum = b.op('Add', [x, y], { broadcast: intAttr(1), axis: intAttr(1) });
    const squeezed = b.op('Squeeze', [b.op('ReduceSum', [sum], { axes: intsAttr([2]) })], { axes: intsAttr([2]) });
    b.output(b.op('Cast', [squeezed], { to: stringAttr('DOUBLE') }), [2, 3], 'float64');
    b.model.opsets = [{ domain: '', version: 1 }];
    await runPass(upgradeOpset, b.model);
    expect(opTypes(b.model)).toEqual(['Unsqueeze', 'Add', 'ReduceSum', 'Squeeze', 'Cast']);
    const feeds = randomFeeds(b.model);
    const out = await runOnnx(encodeOnnx(b.model), feeds);
    const xs = entry(feeds, 'x', 'feeds').data as Float32Array;
    const ys = entry(feeds, 'y', 'feeds').data as Float32Array;
    const got = entry(out, at(b.graph.outputs, 0).name, 'outputs').data;
    for (let i = 0; i < 2; i++)
      for (let j = 0; j < 3; j++) {
        let s = 0;
        for (let k = 0; k < 4; k++) s += at(xs, i * 12 + j * 4 + k) + at(ys, j);
        expect(Number(got[i * 3 + j])).toBeCloseTo(s, 5);
      }
  });

  it('refuses operators it has no adapter for, naming them', async () => {
    const b = new GraphBuilder(7);
    const x = b.input('x', [1, 1, 2, 2]);
    b.output(b.op('Relu', [b.op('ImageScaler', [x], { scale: floatAttr(2) })]), [1, 1, 2, 2]);
    await expect(runPass(upgradeOpset, b.model)).rejects.toThrow(/from opset 7 to 13: no version adapter for ImageScaler/);
  });

  it('does nothing for a model already at the target', async () => {
    const b = new GraphBuilder(13);
    b.output(b.op('Relu', [b.input('x', [1])]), [1]);
    const r = await runPass(upgradeOpset, b.model);
    expect(r.changed).toBe(false);
  });
});

describe('upgrade-opset: Upsample and Resize', () => {
  const cases: [string, number, () => GraphBuilder][] = [
    [
      'Upsample-9 nearest ×2',
      9,
      () => {
        const b = new GraphBuilder(9);
        b.output(
          b.op('Upsample', [b.input('x', [1, 2, 3, 3]), b.weight('scales', [4], [1, 1, 2, 2])], { mode: stringAttr('nearest') }),
          [1, 2, 6, 6],
        );
        return b;
      },
    ],
    [
      'Upsample-9 linear ×2',
      9,
      () => {
        const b = new GraphBuilder(9);
        b.output(
          b.op('Upsample', [b.input('x', [1, 2, 3, 3]), b.weight('scales', [4], [1, 1, 2, 3])], { mode: stringAttr('linear') }),
          [1, 2, 6, 9],
        );
        return b;
      },
    ],
    [
      'Resize-10 nearest ×0.5',
      10,
      () => {
        const b = new GraphBuilder(10);
        b.output(
          b.op('Resize', [b.input('x', [1, 1, 5, 5]), b.weight('scales', [4], [1, 1, 0.5, 0.5])], { mode: stringAttr('nearest') }),
          [1, 1, 2, 2],
        );
        return b;
      },
    ],
  ];
  for (const [label, opset, build] of cases) {
    for (const target of [11, 13]) {
      it(`${label}: opset ${opset} → ${target} gives the same result`, async () => {
        const b = build();
        const feeds = randomFeeds(b.model);
        const before = await runOnnx(encodeOnnx(b.model), feeds);
        await runPass(upgradeOpset, b.model, { target });
        expect(opTypes(b.model)).toEqual(['Resize']);
        expect(maxRelativeError(before, await runOnnx(encodeOnnx(b.model), feeds))).toBeLessThanOrEqual(1e-6);
      });
    }
  }
});
