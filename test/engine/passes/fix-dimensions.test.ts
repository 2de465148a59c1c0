import { describe, expect, it } from 'vitest';
import { fixDimensions } from '../../../src/engine/passes/fix-dimensions';
import { foldConstants } from '../../../src/engine/passes/fold-constants';
import { expectSameOutputs, GraphBuilder, opTypes, runPass } from './graph-builder';
import { at } from '../../helpers/at';

describe('fix-dimensions', () => {
  it('fixes named dimensions on inputs, outputs and value_info', async () => {
    const b = new GraphBuilder();
    const x = b.input('x', ['batch', 3, 'len']);
    const h = b.op('Relu', [x]);
    h.type = { kind: 'tensor', dtype: 'float32', shape: ['batch', 3, 'len'] };
    b.graph.annotated.push(h);
    b.output(b.op('Exp', [h]), ['batch', 3, 'len']);
    await expectSameOutputs(
      b.model,
      async () => {
        const r = await runPass(fixDimensions, b.model, { dims: { batch: 4, len: 4 } });
        expect(r.stats).toEqual({ inputsChanged: 1, valuesChanged: 2 });
      },
      1e-6,
      4,
    );
    expect(x.type).toEqual({ kind: 'tensor', dtype: 'float32', shape: [4, 3, 4] });
    expect(h.type).toEqual({ kind: 'tensor', dtype: 'float32', shape: [4, 3, 4] });
    expect(at(b.graph.outputs, 0).type).toEqual({ kind: 'tensor', dtype: 'float32', shape: [4, 3, 4] });
  });

  it('sets a full input shape, including unnamed dimensions, and rejects wrong requests', async () => {
    const b = new GraphBuilder();
    b.input('x', [null, 'c']);
    b.output(b.op('Relu', [b.graph.inputs[0]]), [null, 'c']);
    await runPass(fixDimensions, b.model, { shapes: { x: [4, 7] } });
    expect(at(b.graph.inputs, 0).type).toEqual({ kind: 'tensor', dtype: 'float32', shape: [4, 7] });
    expect(at(b.graph.outputs, 0).type).toEqual({ kind: 'tensor', dtype: 'float32', shape: [null, 7] });
    await expect(runPass(fixDimensions, b.model, { shapes: { nope: [1] } })).rejects.toThrow(/no input named 'nope'/);
    await expect(runPass(fixDimensions, b.model, { shapes: { x: [4] } })).rejects.toThrow(/has 2 dimensions/);
    const r = await runPass(fixDimensions, b.model, { dims: { batch: 1 } });
    expect(r.notes?.[0]).toMatch(/no input has a dimension named 'batch'/);
  });

  it('re-infers shapes inside the graph, so shapes computed at run time can then be precomputed', async () => {
    const b = new GraphBuilder();
    const x = b.input('x', ['N', 3, 4]);
    const h = b.op('Relu', [x]);
    h.type = { kind: 'tensor', dtype: 'float32', shape: [null, 3, 4] }; // stale: inferred before the fix
    const flat = b.op('Reshape', [
      h,
      b.op('Concat', [b.op('Slice', [b.op('Shape', [h]), b.ints('s0', [0]), b.ints('s1', [1])]), b.ints('m1', [-1])], {
        axis: { kind: 'int', value: 0n },
      }),
    ]);
    b.output(flat, ['N', 12]);
    await expectSameOutputs(
      b.model,
      async () => {
        await runPass(fixDimensions, b.model, { dims: { N: 2 } });
        await runPass(foldConstants, b.model);
      },
      1e-6,
      2,
    );
    expect(h.type).toEqual({ kind: 'tensor', dtype: 'float32', shape: [2, 3, 4] });
    expect(opTypes(b.model)).toEqual(['Relu', 'Reshape']);
  });
});
