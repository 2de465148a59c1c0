import { describe, expect, it } from 'vitest';
import { floatTensor, int64Tensor } from '../../../../../src/engine/passes/util/constants';
import { GraphBuilder } from '../../../passes/graph-builder';
import { convertAndRun } from '../convert-check';
import { float, int, ints } from './attrs';

const TOLERANCE = 1e-5;

describe('elementwise ops → TFLite', () => {
  it('computes binary ops with broadcast constants in the layout of a convolution’s result', async () => {
    const b = new GraphBuilder(13);
    const x = b.input('x', [1, 3, 4, 4]);
    const c = b.op('Conv', [x, b.weight('w', [4, 3, 1, 1])], { kernel_shape: ints([1, 1]) });
    const perChannel = b.weight('k', [4, 1, 1]);
    const added = b.op('Add', [c, perChannel]);
    const scaled = b.op('Mul', [added, b.initializer(floatTensor('half', [], [0.5]))]);
    const divided = b.op('Div', [scaled, b.weight('d', [1, 1, 4], [1.5, 2, 2.5, 3])]);
    b.output(b.op('Sub', [divided, b.op('Relu', [c])]));
    const { relative, ops } = await convertAndRun(b.model);
    // one transpose in, one out: everything between stays NHWC
    expect(ops.filter((o) => o === 'TRANSPOSE')).toHaveLength(2);
    expect(relative).toBeLessThanOrEqual(TOLERANCE);
  });

  it('converts Pow with constant exponents, Clip forms, HardSigmoid, HardSwish and other activations', async () => {
    const b = new GraphBuilder(14);
    const x = b.input('x', [2, 6]);
    const pos = b.op('Abs', [x]);
    for (const e of [2, 0.5, 3, -1, 1.7])
      b.output(b.op('Pow', [b.op('Add', [pos, b.weight(`one${e}`, [1], [1])]), b.initializer(floatTensor(`e${e}`, [], [e]))]));
    b.output(b.op('Clip', [x, b.initializer(floatTensor('zero', [], [0])), b.initializer(floatTensor('six', [], [6]))]));
    b.output(b.op('Clip', [x, b.initializer(floatTensor('lo', [], [-0.25]))]));
    b.output(b.op('HardSigmoid', [x], { alpha: float(0.3), beta: float(0.4) }));
    b.output(b.op('HardSwish', [x]));
    b.output(b.op('LeakyRelu', [x], { alpha: float(0.1) }));
    b.output(b.op('PRelu', [x, b.weight('slope', [6])]));
    b.output(b.op('Softplus', [x]));
    b.output(b.op('Reciprocal', [b.op('Add', [pos, b.weight('eps', [1], [0.5])])]));
    for (const op of ['Sigmoid', 'Tanh', 'Exp', 'Neg', 'Floor', 'Ceil', 'Sin', 'Cos', 'Sign']) b.output(b.op(op, [x]));
    b.output(b.op('Log', [b.op('Add', [pos, b.weight('eps2', [1], [0.1])])]));
    b.output(b.op('Sqrt', [pos]));
    const { relative } = await convertAndRun(b.model);
    expect(relative).toBeLessThanOrEqual(TOLERANCE);
  });

  it('converts comparisons, logic, Where, Cast and variadic Max/Min/Sum/Mean', async () => {
    const b = new GraphBuilder(13);
    const x = b.input('x', [3, 4]);
    const y = b.input('y', [3, 4]);
    const greater = b.op('Greater', [x, y]);
    const equal = b.op('Equal', [b.op('Floor', [x]), b.op('Floor', [y])]);
    const either = b.op('Or', [greater, b.op('Not', [equal])]);
    b.output(b.op('Where', [either, x, y]));
    b.output(b.op('Cast', [b.op('And', [greater, b.op('LessOrEqual', [x, b.weight('t', [4])])])], { to: int(1) }));
    b.output(b.op('Cast', [b.op('Cast', [b.op('Mul', [x, b.weight('ten', [1], [10])])], { to: int(7) })], { to: int(1) }));
    b.output(b.op('Max', [x, y, b.weight('m', [4])]));
    b.output(b.op('Min', [x, y]));
    b.output(b.op('Sum', [x, y, x]));
    b.output(b.op('Mean', [x, y]));
    const { relative } = await convertAndRun(b.model);
    expect(relative).toBeLessThanOrEqual(TOLERANCE);
  });

  it('narrows int64 inputs and arithmetic to int32', async () => {
    const b = new GraphBuilder(13);
    const i = b.input('i', [2, 3], 'int64');
    const doubled = b.op('Mul', [i, b.initializer(int64Tensor('two', [], [2]))]);
    b.output(b.op('Cast', [b.op('Add', [doubled, b.initializer(int64Tensor('k', [3], [1, -5, 7]))])], { to: int(1) }));
    const { relative, result } = await convertAndRun(b.model);
    expect(result.model.graph.inputs.map((v) => (v.type?.kind === 'tensor' ? v.type.dtype : ''))).toEqual(['int32']);
    expect(relative).toBe(0);
  });
});
