import { describe, expect, it } from 'vitest';
import { foldConstants } from '../../../src/engine/passes/fold-constants';
import { intAttr, intsAttr } from '../../../src/engine/passes/util/attributes';
import ort from 'onnxruntime-node';
import { decodeOnnx, encodeOnnx } from '../../../src/engine/formats/onnx';
import type { Graph } from '../../../src/engine/ir/graph';
import { Tensor } from '../../../src/engine/ir/tensor';
import { floatTensor, int64Tensor } from '../../../src/engine/passes/util/constants';
import { expectSameOutputs, GraphBuilder, maxRelativeError, opTypes, randomFeeds, runOnnx, runPass } from './graph-builder';

describe('fold-constants', () => {
  it('precomputes a chain of constant operations and turns Constant nodes into initializers', async () => {
    const b = new GraphBuilder();
    const x = b.input('x', [2, 4]);
    const w = b.constant(
      floatTensor(
        'w_t',
        [4, 4],
        Array.from({ length: 16 }, (_, i) => i / 10),
      ),
    );
    const wt = b.op('Transpose', [w], { perm: intsAttr([1, 0]) });
    const scaled = b.op('Mul', [wt, b.weight('two', [], [2])]);
    const y = b.op('MatMul', [x, scaled]);
    b.output(b.op('Relu', [y]), [2, 4]);
    await expectSameOutputs(b.model, async () => {
      const r = await runPass(foldConstants, b.model);
      expect(r.stats).toMatchObject({ nodesFolded: 2, constantNodesToInitializers: 1 });
    });
    expect(opTypes(b.model)).toEqual(['MatMul', 'Relu']);
    expect(b.graph.initializers.map((t) => t.name)).toEqual([scaled.name]);
  });

  it('folds Shape of a fully known shape and what is computed from it', async () => {
    const b = new GraphBuilder();
    const x = b.input('x', [2, 3, 4]);
    const shape = b.op('Shape', [x]);
    const first = b.op('Gather', [shape, b.initializer(int64Tensor('idx', [1], [0]))], { axis: intAttr(0) });
    const target = b.op('Concat', [first, b.ints('rest', [-1])], { axis: intAttr(0) });
    b.output(b.op('Reshape', [x, target]), [2, 12]);
    await expectSameOutputs(b.model, () => runPass(foldConstants, b.model));
    expect(opTypes(b.model)).toEqual(['Reshape']);
  });

  it('leaves large expansions and random operations to run time', async () => {
    const b = new GraphBuilder();
    const x = b.input('x', [1, 1]);
    const big = b.op('ConstantOfShape', [b.ints('big_shape', [1024, 1024])], {
      value: { kind: 'tensor', value: floatTensor('v', [1], [1]) },
    });
    const noise = b.op('RandomUniform', [], { shape: intsAttr([1, 1]), dtype: intAttr(1) });
    b.output(b.op('Add', [x, big]), [1024, 1024]).output(b.op('Mul', [x, noise]), [1, 1]);
    const r = await runPass(foldConstants, b.model, { maxOutputBytes: 1024 });
    expect(opTypes(b.model)).toEqual(['ConstantOfShape', 'RandomUniform', 'Add', 'Mul']);
    expect(r.notes?.join(' ')).toMatch(/larger than 1024 bytes/);
    expect(r.skipped?.map((s) => s.reason).sort()).toEqual([
      'it gives a different result each time the model runs',
      'its result (4194304 bytes) is larger than the 1024 bytes allowed, so the file does not grow',
    ]);
  });

  it('never makes the file larger: float16 weights keep their Cast, a transposed weight is stored transposed', async () => {
    const b = new GraphBuilder();
    const x = b.input('x', ['N', 64]);
    const half = b.initializer(new Tensor('w16', 'float16', [64, 32], new Uint8Array(64 * 32 * 2).fill(0x3c)));
    const wide = b.op('Cast', [half], { to: intAttr(1) });
    const h = b.op('MatMul', [x, wide]);
    const t = b.op('Transpose', [b.weight('wt', [16, 32])]);
    b.output(b.op('MatMul', [h, t]), ['N', 16]);
    const before = encodeOnnx(b.model).byteLength;
    const r = await expectSameOutputs(b.model, () => runPass(foldConstants, b.model));
    expect(r).toBeLessThanOrEqual(1e-6);
    expect(opTypes(b.model)).toEqual(['Cast', 'MatMul', 'MatMul']);
    expect(b.graph.initializers.map((tensor) => tensor.dtype).sort()).toEqual(['float16', 'float32']);
    expect(encodeOnnx(b.model).byteLength).toBeLessThanOrEqual(before);
  });

  it('does not evaluate a Range whose result would not fit in memory', async () => {
    const b = new GraphBuilder();
    const x = b.input('x', [1]);
    const range = b.op('Range', [b.weight('start', [], [0]), b.weight('limit', [], [2 ** 30]), b.weight('delta', [], [1])]);
    b.output(b.op('Add', [x, range]), [2 ** 30]);
    const r = await runPass(foldConstants, b.model);
    expect(opTypes(b.model)).toEqual(['Range', 'Add']);
    expect(r.skipped?.map((s) => s.reason)).toEqual(['its result would take 8192 MB']);
  });
});

describe('fold-constants inside subgraphs', () => {
  it('does not copy a weight of the enclosing graph into each branch (the weight stays, so the file would grow)', async () => {
    const b = new GraphBuilder();
    const x = b.input('x', [2, 32]);
    const flag = b.input('flag', [], 'bool');
    const w = b.weight('w', [32, 32]);
    const branch = (name: string, perm: number[]): Graph => {
      const inner = new GraphBuilder();
      inner.graph.name = name;
      inner.graph.parent = b.graph;
      inner.output(inner.op('MatMul', [x, inner.op('Transpose', [w], { perm: intsAttr(perm) })]), [2, 32]);
      return inner.graph;
    };
    const y = b.op('If', [flag], {
      then_branch: { kind: 'graph', value: branch('then', [1, 0]) },
      else_branch: { kind: 'graph', value: branch('else', [1, 0]) },
    });
    b.output(b.op('Add', [y, b.op('MatMul', [x, w])]), [2, 32]);
    const before = encodeOnnx(b.model).byteLength;
    const copy = decodeOnnx(encodeOnnx(b.model));
    const r = await runPass(foldConstants, copy);
    expect(encodeOnnx(copy).byteLength).toBeLessThanOrEqual(before);
    expect(r.skipped?.map((s) => s.reason)).toContain(
      'storing its result would make the file larger than computing it (e.g. float16 weights widened by a Cast)',
    );
    for (const value of [true, false]) {
      const feeds = { ...randomFeeds(b.model), flag: new ort.Tensor('bool', [value], []) };
      expect(maxRelativeError(await runOnnx(encodeOnnx(b.model), feeds), await runOnnx(encodeOnnx(copy), feeds))).toBeLessThan(1e-6);
    }
  });
});
