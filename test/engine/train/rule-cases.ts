// Small graphs exercising every gradient rule, for the finite-difference checks (test and script).
import type { Model } from '../../../src/engine/ir/model';
import type { Value } from '../../../src/engine/ir/value';
import { floatAttr, intAttr, intsAttr, stringAttr } from '../../../src/engine/passes/util/attributes';
import { checkGradients, type GradientCheck, type GradientCheckOptions } from '../../../src/engine/train/gradient-check';
import { TinyGraph } from './tiny-graphs';

/** One gradient-check case: the rule it exercises and a graph built in the requested float type. */
export interface RuleCase {
  rule: string;
  name: string;
  build(float: 'float32' | 'float64'): { model: Model; wrtInputs: string[]; options?: GradientCheckOptions };
}

function graphCase(
  rule: string,
  name: string,
  shape: (number | string)[],
  build: (b: TinyGraph, x: Value) => Value | Value[],
  options?: GradientCheckOptions,
): RuleCase {
  return {
    rule,
    name,
    build(float) {
      const b = new TinyGraph(float);
      const x = b.input('x', shape);
      const out = build(b, x);
      for (const v of Array.isArray(out) ? out : [out]) b.output(v);
      return { model: b.model, wrtInputs: ['x'], ...(options ? { options } : {}) };
    },
  };
}

// Positive inputs for functions defined on (0, ∞): |x| + 0.5.
const positive = (b: TinyGraph, x: Value): Value => b.op('Add', [b.op('Abs', [x]), b.weight('half', [], [0.5])]);
const i = intAttr;
const is = intsAttr;

export const RULE_CASES: RuleCase[] = [
  graphCase('Conv', 'pads 1, stride 2, bias', [2, 3, 7, 7], (b, x) =>
    b.op('Conv', [x, b.weight('w', [4, 3, 3, 3]), b.weight('c', [4])], { pads: is([1, 1, 1, 1]), strides: is([2, 2]) }),
  ),
  graphCase('Conv', 'groups 2, dilation 2, uneven pads', [2, 4, 8, 8], (b, x) =>
    b.op('Conv', [x, b.weight('w', [6, 2, 3, 3])], { group: i(2), dilations: is([2, 2]), pads: is([2, 1, 0, 1]) }),
  ),
  graphCase('Conv', 'depthwise, stride 2, SAME_UPPER', [2, 3, 6, 5], (b, x) =>
    b.op('Conv', [x, b.weight('w', [3, 1, 3, 3]), b.weight('c', [3])], {
      group: i(3),
      strides: is([2, 2]),
      auto_pad: stringAttr('SAME_UPPER'),
    }),
  ),
  graphCase('Conv', '1-D, dynamic batch', ['N', 2, 9], (b, x) =>
    b.op('Conv', [x, b.weight('w', [3, 2, 4]), b.weight('c', [3])], { strides: is([3]), pads: is([1, 2]) }),
  ),
  graphCase('ConvTranspose', 'stride 2, pads, output_padding, bias', [2, 3, 4, 4], (b, x) =>
    b.op('ConvTranspose', [x, b.weight('w', [3, 2, 3, 3]), b.weight('c', [2])], {
      strides: is([2, 2]),
      pads: is([1, 1, 0, 1]),
      output_padding: is([1, 0]),
    }),
  ),
  graphCase('ConvTranspose', 'groups 2, dilation 2', [2, 4, 3, 3], (b, x) =>
    b.op('ConvTranspose', [x, b.weight('w', [4, 1, 2, 2])], { group: i(2), dilations: is([2, 2]) }),
  ),
  graphCase('Gemm', 'transB, bias [N]', [3, 4], (b, x) => b.op('Gemm', [x, b.weight('w', [5, 4]), b.weight('c', [5])], { transB: i(1) })),
  graphCase('Gemm', 'transA, alpha, beta, bias [1, N]', [4, 3], (b, x) =>
    b.op('Gemm', [x, b.weight('w', [4, 5]), b.weight('c', [1, 5])], { transA: i(1), alpha: floatAttr(0.7), beta: floatAttr(1.3) }),
  ),
  graphCase('Gemm', 'transA and transB, scalar bias', [4, 3], (b, x) =>
    b.op('Gemm', [x, b.weight('w', [5, 4]), b.weight('c', [])], { transA: i(1), transB: i(1) }),
  ),
  graphCase('MatMul', 'batched with broadcast weight', [2, 3, 4], (b, x) => b.op('MatMul', [x, b.weight('w', [4, 5])])),
  graphCase('MatMul', 'weight first, batch broadcast [1, K, M]', [2, 4, 3], (b, x) => b.op('MatMul', [b.weight('w', [1, 5, 4]), x])),
  graphCase('MatMul', '1-D operands', [4], (b, x) => [
    b.op('MatMul', [x, b.weight('w', [4, 3])]),
    b.op('MatMul', [b.weight('v', [2, 4]), x]),
  ]),
  graphCase('Add/Sub/Mul/Div', 'broadcast [2,3,4] with [3,1] and a scalar', [2, 3, 4], (b, x) => {
    const w = b.weight('w', [3, 1]);
    const s = b.weight('s', [], undefined, 0.5, 1.5);
    const d = b.weight('d', [4], undefined, 0.5, 1.5);
    return b.op('Div', [b.op('Sub', [b.op('Mul', [b.op('Add', [x, w]), s]), w]), d]);
  }),
  graphCase('Pow', 'positive base, broadcast exponent', [2, 3], (b, x) =>
    b.op('Pow', [positive(b, x), b.weight('p', [3], undefined, 0.5, 2)]),
  ),
  graphCase('Max/Min/Sum', 'two operands and variadic Sum', [2, 3], (b, x) => {
    const w = b.weight('w', [3]);
    return b.op('Sum', [b.op('Max', [x, w]), b.op('Min', [x, b.weight('v', [2, 3])]), x]);
  }),
  graphCase('Neg/Exp/Log/Sqrt/Reciprocal/Abs', 'chain', [2, 5], (b, x) => {
    const p = positive(b, x);
    return b.op('Add', [
      b.op('Add', [b.op('Log', [p]), b.op('Sqrt', [p])]),
      b.op('Add', [b.op('Reciprocal', [p]), b.op('Neg', [b.op('Exp', [x])])]),
    ]);
  }),
  graphCase('Softplus/Identity', 'chain', [2, 5], (b, x) => b.op('Identity', [b.op('Softplus', [x])])),
  graphCase('Erf', 'GELU form', [2, 5], (b, x) => b.op('Mul', [x, b.op('Erf', [x])])),
  graphCase('Relu/LeakyRelu', 'chain', [3, 5], (b, x) =>
    b.op('Add', [b.op('Relu', [x]), b.op('LeakyRelu', [x], { alpha: floatAttr(0.2) })]),
  ),
  graphCase('Elu', 'alpha 0.7', [3, 5], (b, x) => b.op('Elu', [x], { alpha: floatAttr(0.7) })),
  graphCase('PRelu', 'per-channel slope', [2, 3, 2, 2], (b, x) => b.op('PRelu', [x, b.weight('slope', [3, 1, 1])])),
  graphCase('Clip', 'min and max', [3, 5], (b, x) => b.op('Clip', [x, b.weight('lo', [], [-0.5]), b.weight('hi', [], [0.6])])),
  graphCase('Sigmoid/Tanh', 'chain', [3, 5], (b, x) =>
    b.op('Add', [b.op('Sigmoid', [x]), b.op('Tanh', [b.op('Mul', [x, b.weight('k', [], [2])])])]),
  ),
  graphCase('HardSigmoid/HardSwish', 'inputs across the breakpoints', [3, 8], (b, x) => {
    const wide = b.op('Mul', [x, b.weight('k', [], [5])]);
    return b.op('Add', [b.op('HardSigmoid', [wide], { alpha: floatAttr(0.3), beta: floatAttr(0.4) }), b.op('HardSwish', [wide])]);
  }),
  graphCase('Softmax/LogSoftmax', 'axis 1 and -1', [2, 3, 4], (b, x) => [
    b.op('Softmax', [x], { axis: i(1) }),
    b.op('LogSoftmax', [x], { axis: i(-1) }),
  ]),
  graphCase(
    'MaxPool',
    'overlapping 3×3 windows, stride 2, pads',
    [2, 2, 7, 7],
    (b, x) => b.ops('MaxPool', [x], 1, { kernel_shape: is([3, 3]), strides: is([2, 2]), pads: is([1, 1, 1, 1]) })[0]!,
  ),
  graphCase(
    'MaxPool',
    '2×2 windows that tile, odd sizes (floor mode), dynamic batch',
    ['N', 2, 7, 6],
    (b, x) => b.ops('MaxPool', [x], 1, { kernel_shape: is([2, 2]), strides: is([2, 2]) })[0]!,
  ),
  graphCase(
    'MaxPool',
    '1-D tiling windows of 3',
    [2, 3, 9],
    (b, x) => b.ops('MaxPool', [x], 1, { kernel_shape: is([3]), strides: is([3]) })[0]!,
  ),
  graphCase('MaxPool/GlobalMaxPool', 'dilation 2', [2, 2, 6, 6], (b, x) => [
    b.ops('MaxPool', [x], 1, { kernel_shape: is([2, 2]), dilations: is([2, 2]) })[0]!,
    b.op('GlobalMaxPool', [x]),
  ]),
  graphCase('AveragePool', 'pads, count_include_pad 0 and 1', [2, 2, 7, 7], (b, x) => [
    b.op('AveragePool', [x], { kernel_shape: is([3, 3]), strides: is([2, 2]), pads: is([1, 1, 1, 1]) }),
    b.op('AveragePool', [x], { kernel_shape: is([2, 3]), strides: is([1, 2]), pads: is([0, 1, 1, 0]), count_include_pad: i(1) }),
  ]),
  graphCase('GlobalAveragePool', 'after a convolution', [2, 3, 5, 4], (b, x) =>
    b.op('GlobalAveragePool', [b.op('Conv', [x, b.weight('w', [2, 3, 1, 1])])]),
  ),
  {
    rule: 'BatchNormalization',
    name: 'training mode (batch statistics)',
    build(float) {
      const b = new TinyGraph(float);
      const x = b.input('x', [4, 3, 3, 3]);
      const bn = b.op('BatchNormalization', [
        x,
        b.weight('scale', [3]),
        b.weight('bias', [3]),
        b.weight('mean', [3]),
        b.weight('var', [3], undefined, 0.5, 1.5),
      ]);
      b.output(b.op('Mul', [bn, bn]));
      return {
        model: b.model,
        wrtInputs: ['x'],
        options: { mode: { batchNorm: 'train' }, trainable: (n) => n === 'scale' || n === 'bias' },
      };
    },
  },
  {
    rule: 'BatchNormalization',
    name: 'frozen statistics',
    build(float) {
      const b = new TinyGraph(float);
      const x = b.input('x', [2, 3, 2, 2]);
      b.output(
        b.op(
          'BatchNormalization',
          [x, b.weight('scale', [3]), b.weight('bias', [3]), b.weight('mean', [3]), b.weight('var', [3], undefined, 0.5, 1.5)],
          { epsilon: floatAttr(1e-3) },
        ),
      );
      return {
        model: b.model,
        wrtInputs: ['x'],
        options: { mode: { batchNorm: 'frozen' }, trainable: (n) => n === 'scale' || n === 'bias' },
      };
    },
  },
  graphCase('Reshape/Flatten/Squeeze/Unsqueeze/Expand', 'chain', [2, 3, 1, 4], (b, x) => {
    const flat = b.op('Flatten', [b.op('Squeeze', [x, b.ints('ax', [2])])], { axis: i(1) });
    const back = b.op('Unsqueeze', [b.op('Reshape', [flat, b.ints('shape', [2, 4, 3])]), b.ints('ax2', [0])]);
    return b.op('Mul', [back, b.op('Expand', [b.weight('w', [4, 1]), b.ints('to', [1, 2, 4, 3])])]);
  }),
  graphCase('Transpose', 'perm and default', [2, 3, 4], (b, x) => [
    b.op('Transpose', [x], { perm: is([2, 0, 1]) }),
    b.op('Transpose', [x]),
  ]),
  graphCase('Concat/Split', 'concat then split unevenly', [2, 3], (b, x) => {
    const cat = b.op('Concat', [x, b.weight('w', [2, 2]), x], { axis: i(1) });
    const [p, q] = b.ops('Split', [cat, b.ints('sizes', [5, 3])], 2, { axis: i(1) });
    return [b.op('Mul', [p!, p!]), q!];
  }),
  graphCase('Slice', 'steps 2 and −1, negative bounds', [4, 6], (b, x) => [
    b.op('Slice', [x, b.ints('st', [0, 1]), b.ints('en', [4, 6]), b.ints('ax', [0, 1]), b.ints('sp', [2, 2])]),
    b.op('Slice', [x, b.ints('st2', [-1]), b.ints('en2', [-7]), b.ints('ax2', [1]), b.ints('sp2', [-1])]),
  ]),
  graphCase('Gather/GatherElements', 'repeated and negative indices', [3, 4], (b, x) => [
    b.op('Gather', [x, b.ints('gi', [0, 2, 2, -1], [2, 2])], { axis: i(1) }),
    b.op('GatherElements', [x, b.ints('ge', [0, 1, 2, 0, 1, 1], [3, 2])], { axis: i(0) }),
  ]),
  graphCase('Pad', 'constant, reflect and edge', [2, 3, 4], (b, x) => [
    b.op('Pad', [x, b.ints('p1', [0, 1, 2, 0, 0, 1]), b.weight('cv', [], [0.3])]),
    b.op('Pad', [x, b.ints('p2', [0, 0, 2, 0, 2, 1])], { mode: stringAttr('reflect') }),
    b.op('Pad', [x, b.ints('p3', [0, 1, -1, 1, 0, 2])], { mode: stringAttr('edge') }),
  ]),
  graphCase('ReduceMean/ReduceSum', 'keepdims 0 and 1, all axes', [2, 3, 4], (b, x) => [
    b.op('ReduceMean', [x], { axes: is([1, -1]), keepdims: i(0) }),
    b.op('ReduceSum', [x, b.ints('ax', [0])]),
    b.op('ReduceMean', [x], { keepdims: i(0) }),
  ]),
  graphCase('Dropout', 'inference form (identity)', [3, 4], (b, x) => b.op('Dropout', [x]), { mode: { dropout: false } }),
  graphCase(
    'Cross-entropy loss',
    'with a final Softmax',
    [4, 5],
    (b, x) => b.op('Softmax', [b.op('Gemm', [x, b.weight('w', [5, 3])])], { axis: i(1) }),
    { loss: [{ kind: 'cross-entropy' }] },
  ),
  graphCase('Cross-entropy loss', 'label smoothing 0.1', [4, 5], (b, x) => b.op('Gemm', [x, b.weight('w', [5, 3])]), {
    loss: [{ kind: 'cross-entropy', smoothing: 0.1 }],
  }),
  graphCase('Distillation KL loss', 'temperature 3', [4, 5], (b, x) => b.op('Gemm', [x, b.weight('w', [5, 3])]), {
    loss: [{ kind: 'distill-kl', temperature: 3 }],
  }),
  graphCase('Pseudo-label loss', 'threshold 0.45', [4, 5], (b, x) => b.op('Gemm', [x, b.weight('w', [5, 3])]), {
    loss: [{ kind: 'pseudo-label', threshold: 0.45 }],
  }),
  graphCase('MSE + cross-entropy', 'weighted sum of terms', [4, 5], (b, x) => b.op('Gemm', [x, b.weight('w', [5, 3])]), {
    loss: [
      { kind: 'mse', weight: 0.5 },
      { kind: 'cross-entropy', weight: 2 },
    ],
  }),
];

/** Result of checking one case in the best float type onnxruntime runs it in. */
export interface CaseResult {
  float: 'float32' | 'float64';
  check: GradientCheck;
}

/** The tolerance of a check: float64 differences are exact to ~1e-9; float32 ones to ~1e-3. */
export function toleranceFor(float: 'float32' | 'float64'): number {
  return float === 'float64' ? 1e-7 : 5e-3;
}

/**
 * Checks a case in float64, or in float32 when onnxruntime has no double kernel for one of its
 * operators (Conv, ConvTranspose, AveragePool, HardSigmoid, Erf, Elu, GlobalMaxPool, …).
 */
export async function checkCase(c: RuleCase): Promise<CaseResult> {
  for (const float of ['float64', 'float32'] as const) {
    const { model, wrtInputs, options } = c.build(float);
    try {
      return { float, check: await checkGradients(model, { wrtInputs, ...options, ...(float === 'float32' ? { step: 1e-3 } : {}) }) };
    } catch (error) {
      if (float === 'float32' || !String(error).includes('Could not find an implementation')) throw error;
    }
  }
  throw new Error('unreachable');
}
