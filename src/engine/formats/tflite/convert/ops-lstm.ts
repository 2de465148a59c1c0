import type { Value } from '../../../ir/value';
import { cannot, shapeOfRank, type OpContext } from './op-context';

const ACTIVATIONS: Record<number, string> = { 1: 'Relu', 4: 'Tanh' };

/**
 * UNIDIRECTIONAL_SEQUENCE_LSTM → ONNX LSTM. TFLite orders gates input/forget/cell/output in separate
 * tensors; ONNX stacks them as input/output/forget/cell. States start from the TFLite state tensors.
 */
function sequenceLstm(ctx: OpContext): void {
  const { em, base } = ctx;
  if (!ctx.has(1) || !ctx.has(5)) cannot('coupled input-forget gates (CIFG) are not supported');
  if (ctx.has(16)) cannot('projection layers are not supported');
  if ([20, 21, 22, 23].some((i) => ctx.node.inputs.length > i && ctx.has(i))) cannot('layer normalization is not supported');
  if (ctx.attr('diagonal_recurrent_tensors', 0)) cannot('diagonal recurrent weights are not supported');
  const act = ACTIVATIONS[ctx.attr('fused_activation_function', 4)] ?? cannot('only TANH and RELU cell activations are supported');
  const timeMajor = ctx.attr('time_major', 0) !== 0;
  const clip = cellClip(ctx);
  // ONNX LSTM's `clip` bounds gate inputs, not the cell state as TFLite does: unroll when clipping.
  if (clip !== 0) {
    unrolledLstm(ctx, act, timeMajor, clip);
    return;
  }
  const [hidden] = shapeOfRank(ctx.facts(2).shape, 2, 'the input weights must be 2-D');
  const stack = (indices: number[], name: string) =>
    em.op(
      'Unsqueeze',
      [
        em.op(
          'Concat',
          indices.map((i) => ctx.input(i)),
          { axis: 0 },
          `${base}_${name}_cat`,
        ),
        em.int64([0]),
      ],
      {},
      `${base}_${name}`,
    );
  const W = stack([1, 4, 2, 3], 'W');
  const R = stack([5, 8, 6, 7], 'R');
  const zeros = em.float32(new Array<number>(4 * hidden).fill(0));
  const B = em.op(
    'Unsqueeze',
    [em.op('Concat', [ctx.input(12), ctx.input(15), ctx.input(13), ctx.input(14), zeros], { axis: 0 }, `${base}_B_cat`), em.int64([0])],
    {},
    `${base}_B`,
  );
  const peephole = ctx.has(9) || ctx.has(10) || ctx.has(11);
  const P = peephole
    ? em.op(
        'Unsqueeze',
        [em.op('Concat', [ctx.input(9), ctx.input(11), ctx.input(10)], { axis: 0 }, `${base}_P_cat`), em.int64([0])],
        {},
        `${base}_P`,
      )
    : undefined;
  const h0 = em.op('Unsqueeze', [ctx.input(18), em.int64([0])], {}, `${base}_h0`);
  const c0 = em.op('Unsqueeze', [ctx.input(19), em.int64([0])], {}, `${base}_c0`);
  const x = timeMajor ? ctx.input(0) : em.op('Transpose', [ctx.input(0)], { perm: [1, 0, 2] }, `${base}_tbi`);
  const [y, yh, yc] = em.node('LSTM', [x, W, R, B, undefined, h0, c0, P], [`${base}_y`, `${base}_yh`, `${base}_yc`], {
    hidden_size: hidden,
    activations: { strings: ['Sigmoid', act, act] },
  });
  const squeezed = em.op('Squeeze', [y, em.int64([1])], {}, `${base}_tbh`);
  ctx.setOutput(0, timeMajor ? squeezed : em.op('Transpose', [squeezed], { perm: [1, 0, 2] }, base));
  ctx.setState(18, em.op('Squeeze', [yh, em.int64([0])], {}, `${base}_h`));
  ctx.setState(19, em.op('Squeeze', [yc, em.int64([0])], {}, `${base}_c`));
}

function cellClip(ctx: OpContext): number {
  const a = ctx.node.attribute('cell_clip');
  return a?.value.kind === 'float' ? a.value.value : a?.value.kind === 'int' ? Number(a.value.value) : 0;
}

/** The LSTM written out step by step (static sequence length), with TFLite's cell-state clipping. */
function unrolledLstm(ctx: OpContext, act: string, timeMajor: boolean, clip: number): void {
  const { em, base } = ctx;
  const [first, second] = shapeOfRank(ctx.facts(0).shape, 3, 'only 3-D input (batch, time, features) is supported');
  const steps = timeMajor ? first : second;
  const timeAxis = timeMajor ? 0 : 1;
  const [hidden] = shapeOfRank(ctx.facts(2).shape, 2, 'the input weights must be 2-D');
  // gates in TFLite order: input, forget, cell, output
  const W = em.op(
    'Concat',
    [1, 2, 3, 4].map((i) => ctx.input(i)),
    { axis: 0 },
    `${base}_W`,
  );
  const R = em.op(
    'Concat',
    [5, 6, 7, 8].map((i) => ctx.input(i)),
    { axis: 0 },
    `${base}_R`,
  );
  const b = em.op(
    'Concat',
    [12, 13, 14, 15].map((i) => ctx.input(i)),
    { axis: 0 },
    `${base}_b`,
  );
  const Wt = em.op('Transpose', [W], { perm: [1, 0] }, `${base}_Wt`);
  const Rt = em.op('Transpose', [R], { perm: [1, 0] }, `${base}_Rt`);
  const xw = em.op('Add', [em.op('MatMul', [ctx.input(0), Wt], {}, `${base}_xw`), b], {}, `${base}_xwb`);
  const peep = (i: number): Value | undefined => (ctx.has(i) ? ctx.input(i) : undefined);
  const [pi, pf, po] = [peep(9), peep(10), peep(11)];
  const split = em.int64([hidden, hidden, hidden, hidden]);
  const lo = em.float32([-clip], []);
  const hi = em.float32([clip], []);
  let h: Value = ctx.input(18);
  let c: Value = ctx.input(19);
  let cLast = c;
  const outs: Value[] = [];
  for (let t = 0; t < steps; t++) {
    const s = `${base}_t${t}`;
    const xt = em.op('Gather', [xw, em.int64([t], [])], { axis: timeAxis }, `${s}_x`);
    const gates = em.op('Add', [xt, em.op('MatMul', [h, Rt], {}, `${s}_hr`)], {}, `${s}_g`);
    const [gi, gf, gc, go] = em.node('Split', [gates, split], [`${s}_i`, `${s}_f`, `${s}_c`, `${s}_o`], { axis: 1 });
    const withPeep = (g: Value, p: Value | undefined, state: Value): Value =>
      p ? em.op('Add', [g, em.op('Mul', [p, state], {}, `${s}_p`)], {}, `${s}_gp`) : g;
    const i = em.op('Sigmoid', [withPeep(gi, pi, c)], {}, `${s}_is`);
    const f = em.op('Sigmoid', [withPeep(gf, pf, c)], {}, `${s}_fs`);
    const cand = em.op(act, [gc], {}, `${s}_cand`);
    const cNew = em.op('Add', [em.op('Mul', [f, c], {}, `${s}_fc`), em.op('Mul', [i, cand], {}, `${s}_ic`)], {}, `${s}_cn`);
    // a quantized model keeps the cell state in int16 between steps: round it the same way
    // (rounding h to int8 as well measured slightly further from TFLite's integer kernel on MNIST)
    cLast = em.op('Clip', [cNew, lo, hi], {}, `${s}_cell`);
    c = ctx.requantize(19, cLast);
    const o = em.op('Sigmoid', [withPeep(go, po, c)], {}, `${s}_os`);
    h = em.op('Mul', [o, em.op(act, [c], {}, `${s}_ca`)], {}, `${s}_h`);
    outs.push(em.op('Unsqueeze', [h, em.int64([timeAxis])], {}, `${s}_y`));
  }
  ctx.setOutput(0, em.op('Concat', outs, { axis: timeAxis }, base));
  // the unrounded last step: the state outputs quantize it once (a second Q/DQ pair trips onnxruntime)
  ctx.setState(18, h);
  ctx.setState(19, cLast);
}

/** Converters for recurrent ops. */
export const RECURRENT_OPS: Record<string, (ctx: OpContext) => void> = {
  UNIDIRECTIONAL_SEQUENCE_LSTM: sequenceLstm,
};
