import { describe, expect, it } from 'vitest';
import { GraphBuilder } from '../../../passes/graph-builder';
import { convertAndRun } from '../convert-check';
import { float, int, ints } from './attrs';

describe('reductions, softmax and matrix products → TFLite', () => {
  it('reduces over axes of data held in NHWC, keeping or dropping them', async () => {
    const b = new GraphBuilder(13);
    const x = b.input('x', [1, 3, 4, 5]);
    const c = b.op('Conv', [x, b.weight('w', [4, 3, 1, 1])], { kernel_shape: ints([1, 1]) });
    b.output(b.op('ReduceMean', [c], { axes: ints([1]), keepdims: int(1) }));
    b.output(b.op('ReduceMax', [c], { axes: ints([2, 3]), keepdims: int(0) }));
    b.output(b.op('ReduceMin', [c], { axes: ints([-1]), keepdims: int(0) }));
    b.output(b.op('ReduceSum', [c, b.ints('axes', [1, 3])], { keepdims: int(1) }));
    b.output(b.op('ReduceProd', [b.op('Sigmoid', [c])], { axes: ints([1]), keepdims: int(0) }));
    b.output(b.op('ReduceL2', [c], { axes: ints([2]), keepdims: int(1) }));
    b.output(b.op('ReduceSumSquare', [c], { axes: ints([3]), keepdims: int(0) }));
    b.output(b.op('ReduceLogSumExp', [c], { axes: ints([1]), keepdims: int(1) }));
    b.output(b.op('ReduceMean', [c], { keepdims: int(0) }));
    b.output(b.op('Cast', [b.op('ArgMax', [c], { axis: int(1), keepdims: int(1) })], { to: int(1) }));
    const { relative } = await convertAndRun(b.model);
    expect(relative).toBeLessThanOrEqual(1e-5);
  });

  it('computes softmax over any axis, and the older all-axes-from-here form', async () => {
    const b13 = new GraphBuilder(13);
    const x = b13.input('x', [2, 3, 4]);
    b13.output(b13.op('Softmax', [x], { axis: int(1) }));
    b13.output(b13.op('LogSoftmax', [x], { axis: int(-1) }));
    expect((await convertAndRun(b13.model)).relative).toBeLessThanOrEqual(1e-5);
    const b11 = new GraphBuilder(11);
    b11.output(b11.op('Softmax', [b11.input('x', [2, 3, 4])], { axis: int(1) }));
    expect((await convertAndRun(b11.model)).relative).toBeLessThanOrEqual(1e-5);
  });

  it('converts Gemm (transposes, alpha, beta, each form of C) and MatMul (constant, batched, 1-D)', async () => {
    const b = new GraphBuilder(13);
    const a = b.input('a', [3, 4]);
    const at = b.input('at', [4, 3]);
    b.output(b.op('Gemm', [a, b.weight('w', [5, 4]), b.weight('c', [5])], { transB: int(1), alpha: float(0.5), beta: float(2) }));
    b.output(b.op('Gemm', [at, b.weight('w2', [4, 5]), b.weight('c2', [3, 5])], { transA: int(1) }));
    b.output(b.op('Gemm', [a, b.input('bt', [4, 2]), b.input('cr', [3, 2])], { alpha: float(1.5) }));
    b.output(b.op('MatMul', [b.input('x3', [2, 3, 4]), b.weight('m', [4, 6])]));
    b.output(b.op('MatMul', [b.input('p', [2, 3, 4]), b.input('q', [2, 4, 2])]));
    b.output(b.op('MatMul', [b.input('v', [4]), b.weight('m2', [4, 3])]));
    const { relative, ops } = await convertAndRun(b.model);
    expect(ops).toContain('FULLY_CONNECTED');
    expect(ops).toContain('BATCH_MATMUL');
    expect(relative).toBeLessThanOrEqual(1e-5);
  });
});
