import { describe, expect, it } from 'vitest';
import { fuseMatmulAdd } from '../../../src/engine/passes/fuse-matmul-add';
import { expectSameOutputs, GraphBuilder, opTypes, runPass } from './graph-builder';

describe('fuse-matmul-add', () => {
  it('turns MatMul + constant bias on a 2-D input into Gemm (bias on either side)', async () => {
    const b = new GraphBuilder();
    const x = b.input('x', ['N', 6]);
    const h = b.op('Add', [b.op('MatMul', [x, b.weight('w1', [6, 4])]), b.weight('b1', [4])]);
    const flat = b.op('Flatten', [b.op('Relu', [h])]);
    const y = b.op('Add', [b.weight('b2', [1, 3]), b.op('MatMul', [flat, b.weight('w2', [4, 3])])]);
    b.output(y, ['N', 3]);
    await expectSameOutputs(b.model, async () => {
      const r = await runPass(fuseMatmulAdd, b.model);
      expect(r.stats.matMulAddFused).toBe(2);
    });
    expect(opTypes(b.model)).toEqual(['Gemm', 'Relu', 'Flatten', 'Gemm']);
  });

  it('leaves MatMul on inputs of rank 3 or unknown rank, and non-constant biases', async () => {
    const b = new GraphBuilder();
    const x = b.input('x', [2, 5, 6]);
    const bias = b.input('bias', [4]);
    const y1 = b.op('Add', [b.op('MatMul', [x, b.weight('w1', [6, 4])]), b.weight('b1', [4])]);
    const y2 = b.op('Add', [b.op('MatMul', [x, b.weight('w2', [6, 4])]), bias]);
    b.output(y1, [2, 5, 4]).output(y2, [2, 5, 4]);
    const r = await runPass(fuseMatmulAdd, b.model);
    expect(r.changed).toBe(false);
  });
});
