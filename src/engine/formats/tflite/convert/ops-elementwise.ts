import { fusedActivation } from './layout';
import { integerHardSwish } from './integer-hard-swish';
import { integerAdd } from './ops-integer';
import type { OpContext } from './op-context';
import type { AttrInput } from './onnx-emitter';

function binary(opType: string) {
  return (ctx: OpContext): void => {
    const y = ctx.em.op(opType, [ctx.input(0), ctx.input(1)], {}, `${ctx.base}_pre`);
    ctx.setOutput(0, fusedActivation(ctx.em, y, ctx.attr('fused_activation_function', 0), ctx.base));
  };
}

function unary(opType: string, attrs: (ctx: OpContext) => Record<string, AttrInput> = () => ({})) {
  return (ctx: OpContext): void => ctx.setOutput(0, ctx.em.op(opType, [ctx.input(0)], attrs(ctx), ctx.base));
}

function clip(lo: number, hi: number) {
  return (ctx: OpContext): void =>
    ctx.setOutput(0, ctx.em.op('Clip', [ctx.input(0), ctx.em.float32([lo], []), ctx.em.float32([hi], [])], {}, ctx.base));
}

/** Converters for elementwise arithmetic and activations. */
export const ELEMENTWISE_OPS: Record<string, (ctx: OpContext) => void> = {
  ADD: (ctx) => integerAdd(ctx, 1) || binary('Add')(ctx),
  SUB: (ctx) => integerAdd(ctx, -1) || binary('Sub')(ctx),
  MUL: binary('Mul'),
  DIV: binary('Div'),
  MAXIMUM: binary('Max'),
  MINIMUM: binary('Min'),
  POW: binary('Pow'),
  SQUARED_DIFFERENCE: (ctx) => {
    const d = ctx.em.op('Sub', [ctx.input(0), ctx.input(1)], {}, `${ctx.base}_diff`);
    ctx.setOutput(0, ctx.em.op('Mul', [d, d], {}, ctx.base));
  },
  RELU: unary('Relu'),
  RELU6: clip(0, 6),
  RELU_N1_TO_1: clip(-1, 1),
  RELU_0_TO_1: clip(0, 1),
  LOGISTIC: unary('Sigmoid'),
  TANH: unary('Tanh'),
  HARD_SWISH: (ctx) => {
    // int8: the kernel's fixed-point results, looked up
    if (!integerHardSwish(ctx)) unary('HardSwish')(ctx);
  },
  ELU: unary('Elu'),
  EXP: unary('Exp'),
  LOG: unary('Log'),
  ABS: unary('Abs'),
  NEG: unary('Neg'),
  SQRT: unary('Sqrt'),
  FLOOR: unary('Floor'),
  CEIL: unary('Ceil'),
  SIN: unary('Sin'),
  COS: unary('Cos'),
  RSQRT: (ctx) => ctx.setOutput(0, ctx.em.op('Reciprocal', [ctx.em.op('Sqrt', [ctx.input(0)], {}, `${ctx.base}_sqrt`)], {}, ctx.base)),
  SQUARE: (ctx) => ctx.setOutput(0, ctx.em.op('Mul', [ctx.input(0), ctx.input(0)], {}, ctx.base)),
  LEAKY_RELU: unary('LeakyRelu', (ctx) => ({ alpha: { float: leakyAlpha(ctx) } })),
  PRELU: (ctx) => ctx.setOutput(0, ctx.em.op('PRelu', [ctx.input(0), ctx.input(1)], {}, ctx.base)),
  GELU: gelu,
};

/**
 * GELU written out (ONNX has Gelu only from opset 20): 0.5·x·(1 + erf(x/√2)), or with `approximate`
 * 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))).
 */
function gelu(ctx: OpContext): void {
  const x = ctx.input(0);
  const k = (v: number) => ctx.em.float32([v], []);
  const op = (type: string, inputs: Parameters<typeof ctx.em.op>[1], part: string) => ctx.em.op(type, inputs, {}, `${ctx.base}_${part}`);
  const inner = ctx.attr('approximate', 0)
    ? op(
        'Tanh',
        [
          op(
            'Mul',
            [
              op('Add', [x, op('Mul', [k(0.044715), op('Mul', [x, op('Mul', [x, x], 'sq')], 'cube')], 'cubic')], 'sum'),
              k(Math.sqrt(2 / Math.PI)),
            ],
            'scaled',
          ),
        ],
        'tanh',
      )
    : op('Erf', [op('Mul', [x, k(Math.SQRT1_2)], 'scaled')], 'erf');
  const half = op('Mul', [x, k(0.5)], 'half');
  ctx.setOutput(0, ctx.em.op('Mul', [half, op('Add', [inner, k(1)], 'one_plus')], {}, ctx.base));
}

function leakyAlpha(ctx: OpContext): number {
  const a = ctx.node.attribute('alpha');
  return a?.value.kind === 'float' ? a.value.value : a?.value.kind === 'int' ? Number(a.value.value) : 0.2;
}
