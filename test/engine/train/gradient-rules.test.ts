import ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { encodeOnnx } from '../../../src/engine/formats/onnx';
import { buildTrainingGraph } from '../../../src/engine/train/training-graph';
import { GRAD_RULES } from '../../../src/engine/train/rules';
import { floatAttr, intsAttr } from '../../../src/engine/passes/util/attributes';
import { checkCase, RULE_CASES, toleranceFor } from './rule-cases';
import { TinyGraph } from './tiny-graphs';

describe('gradient rules against finite differences (onnxruntime)', () => {
  for (const c of RULE_CASES) {
    it(`${c.rule}: ${c.name}`, async () => {
      const { float, check } = await checkCase(c);
      expect(check.tensors.length).toBeGreaterThan(0);
      expect(check.worst).toBeLessThan(toleranceFor(float));
    });
  }

  it('covers every rule family', () => {
    const checked = new Set(RULE_CASES.flatMap((c) => c.rule.split('/')));
    const missing = GRAD_RULES.flatMap((r) => r.ops).filter(
      (op) => !checked.has(op) && !['QuantizeLinear', 'DequantizeLinear', 'Cast', 'Dropout'].includes(op),
    );
    expect(missing).toEqual([]);
  });
});

async function gradients(model: TinyGraph['model'], spec: Parameters<typeof buildTrainingGraph>[1], feeds: Record<string, ort.Tensor>) {
  const graph = buildTrainingGraph(model, spec);
  const session = await ort.InferenceSession.create(encodeOnnx(graph.model));
  try {
    return { graph, out: await session.run(feeds) };
  } finally {
    await session.release();
  }
}

describe('straight-through and random rules (checked against their formulas)', () => {
  it('QuantizeLinear → DequantizeLinear passes the gradient inside the range and stops it outside', async () => {
    const b = new TinyGraph('float32');
    const x = b.input('x', [4, 8]);
    const scale = b.weight('s', [], [0.004]);
    const zero = b.initializer(new (await import('../../../src/engine/ir/tensor')).Tensor('z', 'uint8', [], new Uint8Array([128])));
    b.output(b.op('DequantizeLinear', [b.op('QuantizeLinear', [x, scale, zero]), scale, zero]));
    const xs = Float32Array.from({ length: 32 }, (_, i) => (i - 16) / 20);
    const r = Float32Array.from({ length: 32 }, (_, i) => 1 + i);
    const { graph, out } = await gradients(
      b.model,
      { loss: [{ kind: 'dot' }], wrtInputs: ['x'], trainable: () => false },
      {
        x: new ort.Tensor('float32', xs, [4, 8]),
        [`target/${b.graph.outputs[0]!.name}`]: new ort.Tensor('float32', r, [4, 8]),
      },
    );
    const dx = out[graph.inputGrads.get('x')!]!.data as Float32Array;
    const expected = xs.map((v, i) => (v / 0.004 + 128 >= -0.5 && v / 0.004 + 128 <= 255.5 ? r[i]! : 0));
    expect(Array.from(dx)).toEqual(Array.from(expected));
    expect(expected.some((v) => v === 0) && expected.some((v) => v !== 0)).toBe(true);
  });

  it('Dropout in training mode scales the kept gradients by 1/(1 − ratio) and drops the others', async () => {
    const b = new TinyGraph('float32');
    const x = b.input('x', [16, 16]);
    b.output(b.op('Dropout', [x, b.weight('ratio', [], [0.25])]));
    const xs = Float32Array.from({ length: 256 }, (_, i) => 1 + (i % 7));
    const r = Float32Array.from({ length: 256 }, (_, i) => (i % 5) - 2);
    const name = b.graph.outputs[0]!.name;
    const { graph, out } = await gradients(
      b.model,
      { loss: [{ kind: 'dot' }], wrtInputs: ['x'], trainable: () => false },
      {
        x: new ort.Tensor('float32', xs, [16, 16]),
        [`target/${name}`]: new ort.Tensor('float32', r, [16, 16]),
      },
    );
    const y = out[name]!.data as Float32Array;
    const dx = out[graph.inputGrads.get('x')!]!.data as Float32Array;
    const dropped = Array.from(y).filter((v) => v === 0).length;
    expect(dropped).toBeGreaterThan(20);
    expect(dropped).toBeLessThan(110);
    y.forEach((v, i) => expect(dx[i]).toBeCloseTo(v === 0 ? 0 : r[i]! / 0.75, 5));
  });
});

describe('MaxPool ties', () => {
  it('tied maxima of a tiling window share its gradient', async () => {
    const b = new TinyGraph('float32');
    const x = b.input('x', [1, 1, 2, 4]);
    b.output(b.ops('MaxPool', [x], 1, { kernel_shape: intsAttr([2, 2]), strides: intsAttr([2, 2]) })[0]!);
    const { graph, out } = await gradients(
      b.model,
      { loss: [{ kind: 'dot' }], wrtInputs: ['x'], trainable: () => false },
      {
        x: new ort.Tensor('float32', Float32Array.from([2, 2, 1, 5, 2, 2, 3, 0]), [1, 1, 2, 4]),
        [`target/${b.graph.outputs[0]!.name}`]: new ort.Tensor('float32', Float32Array.from([1, 10]), [1, 1, 1, 2]),
      },
    );
    expect(Array.from(out[graph.inputGrads.get('x')!]!.data as Float32Array)).toEqual([0.25, 0.25, 0, 10, 0.25, 0.25, 0, 0]);
  });
});

describe('label smoothing', () => {
  it('cross-entropy with smoothing ε is −Σ ((1 − ε)·onehot + ε/C)·log softmax(z) / N', async () => {
    const b = new TinyGraph('float32');
    const x = b.input('x', [2, 3]);
    b.output(b.op('Relu', [x]));
    const z = [2, 1, 0.5, 0.1, 0.2, 3];
    const labels = [0, 2];
    const { out } = await gradients(
      b.model,
      { loss: [{ kind: 'cross-entropy', smoothing: 0.2 }], wrtInputs: ['x'], trainable: () => false },
      { x: new ort.Tensor('float32', Float32Array.from(z), [2, 3]), labels: new ort.Tensor('int64', BigInt64Array.from([0n, 2n]), [2]) },
    );
    let expected = 0;
    for (let n = 0; n < 2; n++) {
      const row = z.slice(n * 3, n * 3 + 3);
      const logSum = Math.log(row.reduce((s, v) => s + Math.exp(v), 0));
      row.forEach((v, c) => (expected -= ((c === labels[n] ? 0.8 : 0) + 0.2 / 3) * (v - logSum)));
    }
    expect(Number(out['loss']!.data[0])).toBeCloseTo(expected / 2, 5);
  });
});

describe('training graph', () => {
  function convThenCos(): TinyGraph {
    const b = new TinyGraph('float32');
    const x = b.input('x', [2, 1, 4, 4]);
    const conv = b.op('Conv', [x, b.weight('w1', [2, 1, 3, 3])], { pads: intsAttr([1, 1, 1, 1]) });
    const flat = b.op('Flatten', [b.op('Cos', [conv])]);
    b.output(b.op('Gemm', [flat, b.weight('w2', [32, 3]), b.weight('b2', [3])]));
    return b;
  }

  it('names the operator without a rule, its node and the weights to freeze', () => {
    const b = convThenCos();
    expect(() => buildTrainingGraph(b.model, { loss: [{ kind: 'cross-entropy' }] })).toThrow(
      /cannot train through the Cos node "Cos_1": there is no gradient rule for Cos\. Freeze the layers before it \(keep w1 fixed\)/,
    );
  });

  it('trains the layers after an unsupported operator when the ones before it are frozen', async () => {
    const b = convThenCos();
    const graph = buildTrainingGraph(b.model, { loss: [{ kind: 'cross-entropy' }], trainable: (n) => n !== 'w1' });
    expect(graph.params.map((p) => p.name).sort()).toEqual(['b2', 'w2']);
    const session = await ort.InferenceSession.create(encodeOnnx(graph.model));
    const w2 = b.graph.initializers.find((t) => t.name === 'w2')!;
    const bias = b.graph.initializers.find((t) => t.name === 'b2')!;
    const out = await session.run({
      x: new ort.Tensor('float32', new Float32Array(32).fill(0.5), [2, 1, 4, 4]),
      labels: new ort.Tensor('int64', BigInt64Array.from([0n, 2n]), [2]),
      w2: new ort.Tensor('float32', Float32Array.from(w2.toTypedArray() as Float32Array), [32, 3]),
      b2: new ort.Tensor('float32', Float32Array.from(bias.toTypedArray() as Float32Array), [3]),
    });
    expect(out['grad/w2']!.dims).toEqual([32, 3]);
    expect(Number(out['loss']!.data[0])).toBeGreaterThan(0);
    await session.release();
  });

  it('keeps running statistics as state and updates them with the batch statistics', async () => {
    const b = new TinyGraph('float32');
    const x = b.input('x', [8, 2, 2, 2]);
    b.output(
      b.op(
        'BatchNormalization',
        [x, b.weight('s', [2], [1, 1]), b.weight('b', [2], [0, 0]), b.weight('m', [2], [0, 0]), b.weight('v', [2], [1, 1])],
        { momentum: floatAttr(0.75) },
      ),
    );
    const graph = buildTrainingGraph(b.model, { loss: [{ kind: 'dot' }] });
    expect(graph.state.map((s) => s.name)).toEqual(['m', 'v']);
    const xs = Float32Array.from({ length: 64 }, (_, i) => (Math.floor(i / 4) % 2 === 0 ? 2 : 6) + (i % 2));
    const session = await ort.InferenceSession.create(encodeOnnx(graph.model));
    const out = await session.run({
      x: new ort.Tensor('float32', xs, [8, 2, 2, 2]),
      s: new ort.Tensor('float32', Float32Array.from([1, 1]), [2]),
      b: new ort.Tensor('float32', Float32Array.from([0, 0]), [2]),
      m: new ort.Tensor('float32', Float32Array.from([0, 0]), [2]),
      v: new ort.Tensor('float32', Float32Array.from([1, 1]), [2]),
      [graph.feeds[0]!.name]: new ort.Tensor('float32', new Float32Array(64).fill(1), [8, 2, 2, 2]),
    });
    await session.release();
    // Channel 0 holds 2 and 3 (mean 2.5, variance 0.25); channel 1 holds 6 and 7 (mean 6.5).
    expect(Array.from(out['state/m']!.data as Float32Array)).toEqual([0.25 * 2.5, 0.25 * 6.5]);
    expect((out['state/v']!.data as Float32Array)[0]).toBeCloseTo(0.75 + 0.25 * 0.25, 6);
  });
});
