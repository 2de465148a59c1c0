import { describe, expect, it } from 'vitest';
import { removeIdentity } from '../../../src/engine/passes/remove-identity';
import { Tensor } from '../../../src/engine/ir/tensor';
import { floatTensor } from '../../../src/engine/passes/util/constants';
import { intAttr, intsAttr } from '../../../src/engine/passes/util/attributes';
import { expectSameOutputs, GraphBuilder, opTypes, runPass } from './graph-builder';
import { at } from '../../helpers/at';

describe('remove-identity', () => {
  it('removes Identity, inference Dropout, same-shape Reshape, same-type Cast, identity Transpose, zero Pad, +0 and ×1', async () => {
    const b = new GraphBuilder();
    const x = b.input('x', [2, 3, 4]);
    let v = b.op('Relu', [x]);
    v = b.op('Identity', [v]);
    v = b.op('Dropout', [v]);
    v.type = { kind: 'tensor', dtype: 'float32', shape: [2, 3, 4] };
    v = b.op('Reshape', [v, b.ints('shape', [0, 3, -1])]);
    v.type = { kind: 'tensor', dtype: 'float32', shape: [2, 3, 4] };
    v = b.op('Cast', [v], { to: intAttr(1) });
    v.type = { kind: 'tensor', dtype: 'float32', shape: [2, 3, 4] };
    v = b.op('Transpose', [v], { perm: intsAttr([0, 1, 2]) });
    v.type = { kind: 'tensor', dtype: 'float32', shape: [2, 3, 4] };
    v = b.op('Pad', [v, b.ints('pads', [0, 0, 0, 0, 0, 0])]);
    v.type = { kind: 'tensor', dtype: 'float32', shape: [2, 3, 4] };
    v = b.op('Add', [v, b.weight('zero', [4], [0, 0, 0, 0])]);
    v.type = { kind: 'tensor', dtype: 'float32', shape: [2, 3, 4] };
    v = b.op('Mul', [b.constant(floatTensor('one', [1, 1], [1])), v]);
    b.output(b.op('Sigmoid', [v]), [2, 3, 4]);
    await expectSameOutputs(b.model, async () => {
      const r = await runPass(removeIdentity, b.model);
      expect(opTypes(b.model)).toEqual(['Relu', 'Constant', 'Sigmoid']);
      expect(r.stats.nodesRemoved).toBe(8);
    });
    expect(opTypes(b.model)).toEqual(['Relu', 'Constant', 'Sigmoid']);
  });

  it('removes ×1 and +0 in a float16 model', async () => {
    const b = new GraphBuilder();
    const x = b.input('x', [2, 4], 'float16');
    // float16 1.0 and 0.0: bits 0x3c00 and 0x0000
    const one = b.initializer(new Tensor('one', 'float16', [1], new Uint8Array(new Uint16Array([0x3c00]).buffer)));
    const zero = b.initializer(new Tensor('zero', 'float16', [4], new Uint8Array(8)));
    const v = b.op('Add', [b.op('Mul', [b.op('Relu', [x]), one]), zero]);
    v.type = { kind: 'tensor', dtype: 'float16', shape: [2, 4] };
    b.output(b.op('Sigmoid', [v]), [2, 4], 'float16');
    const r = await runPass(removeIdentity, b.model);
    expect(r.stats.nodesRemoved).toBe(2);
    expect(opTypes(b.model)).toEqual(['Relu', 'Sigmoid']);
  });

  it('keeps operations that change shape or value', async () => {
    const b = new GraphBuilder();
    const x = b.input('x', [2, 3]);
    const grow = b.op('Add', [x, b.weight('zeros', [4, 2, 3], new Array(24).fill(0))]);
    const t = b.op('Transpose', [grow], { perm: intsAttr([0, 2, 1]) });
    const mask = b.opN('Dropout', [t], 2);
    b.output(at(mask, 0), [4, 3, 2]).output(at(mask, 1), [4, 3, 2], 'bool');
    const r = await runPass(removeIdentity, b.model);
    expect(r.changed).toBe(false);
    expect(opTypes(b.model)).toEqual(['Add', 'Transpose', 'Dropout']);
  });

  it('keeps graph output names when the removed node produced an output', async () => {
    const b = new GraphBuilder();
    const x = b.input('x', ['N', 3]);
    const y = b.op('Relu', [x], {}, 'relu_out');
    const z = b.op('Identity', [y], {}, 'result');
    const also = b.op('Exp', [y]);
    b.output(z, ['N', 3]).output(also, ['N', 3]);
    await expectSameOutputs(b.model, () => runPass(removeIdentity, b.model));
    expect(opTypes(b.model)).toEqual(['Relu', 'Exp']);
    expect(b.graph.outputs.map((o) => o.name)).toEqual(['result', at(b.graph.outputs, 1).name]);
    expect(at(b.graph.nodes, 1).inputs[0]?.name).toBe('result');
  });

  it('keeps an Identity that connects a graph input straight to an output', async () => {
    const b = new GraphBuilder();
    const x = b.input('x', [3]);
    b.output(b.op('Identity', [x], {}, 'y'), [3]);
    const r = await runPass(removeIdentity, b.model);
    expect(r.changed).toBe(false);
  });
});
