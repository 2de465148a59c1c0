import { cannot, shapeOfRank, type OpContext } from './op-context';
import { integerLstm } from './integer-lstm';
import { hiddenOffset, initialHidden, offsetRecurrence, toTfliteHidden } from './lstm-hidden-offset';
import { stackGates } from './stack-gates';

const ACTIVATIONS: Record<number, string> = { 1: 'Relu', 4: 'Tanh' };

/**
 * UNIDIRECTIONAL_SEQUENCE_LSTM → one ONNX LSTM. TFLite keeps one tensor per gate (input, forget,
 * cell, output) and one bias per gate; ONNX stacks them as input, output, forget, cell, with the
 * bias split in an input and a recurrent half (the second left at zero). The state tensors start at
 * zero, as TFLite's variable tensors do, unless the state is exposed as model inputs/outputs.
 *
 * TFLite can clip the cell state (`cell_clip`); ONNX's LSTM cannot (its `clip` bounds the gates
 * instead). With sigmoid gates and a tanh cell input the cell state grows by less than 1 a step, so
 * a sequence no longer than the clip never reaches it and the LSTM is exact; otherwise the notes say
 * that the two differ once the cell state passes the clip.
 *
 * The plain integer LSTM (int8 with an int16 cell state) is written as its own integer arithmetic
 * instead (integer-lstm.ts): an ONNX LSTM computes in float and lands steps away from TFLite's
 * fixed-point gates. Integer LSTMs that file does not handle (peepholes) become an ONNX LSTM here; their
 * hidden state is kept with the zero point subtracted, see lstm-hidden-offset.ts for the correction.
 */
function sequenceLstm(ctx: OpContext): void {
  if (integerLstm(ctx)) return;
  const { em, base } = ctx;
  if (!ctx.has(1) || !ctx.has(5)) cannot('coupled input-forget gates (CIFG) are not supported');
  if (ctx.has(16)) cannot('projection layers are not supported');
  if ([20, 21, 22, 23].some((i) => ctx.node.inputs.length > i && ctx.has(i))) cannot('layer normalization is not supported');
  if (ctx.attr('diagonal_recurrent_tensors', 0)) cannot('diagonal recurrent weights are not supported');
  const act = ACTIVATIONS[ctx.attr('fused_activation_function', 4)] ?? cannot('only TANH and RELU cell activations are supported');
  const timeMajor = ctx.attr('time_major', 0) !== 0;
  const [first, second] = shapeOfRank(ctx.facts(0).shape, 3, 'only 3-D input (batch, time, features) is supported');
  const steps = timeMajor ? first : second;
  const [hidden] = shapeOfRank(ctx.facts(2).shape, 2, 'the input weights must be 2-D');
  const clip = cellClip(ctx);
  if (clip > 0 && !(act === 'Tanh' && steps <= clip))
    ctx.note(
      `TFLite clips the LSTM cell state of '${base}' at ±${clip}; ONNX's LSTM cannot, so the two differ only where the cell state would pass ±${clip}`,
    );
  // ONNX gate order i, o, f, c; TFLite's inputs: 1-4 input weights, 5-8 recurrent weights, 9-11 peepholes, 12-15 biases (i, f, c, o)
  const W = stackGates(ctx, [1, 4, 2, 3], 'W');
  let R = stackGates(ctx, [5, 8, 6, 7], 'R');
  let B = stackGates(ctx, [12, 15, 13, 14], 'B', 4);
  const peephole = ctx.has(9) || ctx.has(10) || ctx.has(11);
  if (peephole && !(ctx.has(9) && ctx.has(10) && ctx.has(11))) cannot('peepholes on only some gates are not supported');
  const P = peephole ? stackGates(ctx, [9, 11, 10], 'P') : undefined;
  // each run starts from the zero state (ONNX's default) unless the state is an input of the model
  const state = (i: number, name: string) =>
    ctx.stateExposed ? em.op('Unsqueeze', [ctx.input(i), em.int64([0])], {}, `${base}_${name}`) : undefined;
  const offset = hiddenOffset(ctx);
  let h0 = state(18, 'h0');
  if (offset) {
    ({ R, B } = offsetRecurrence(ctx, offset, R, B, 4 * hidden));
    h0 = initialHidden(ctx, offset, h0, ctx.facts(18).shape[0] ?? 1, hidden);
  }
  const c0 = state(19, 'c0');
  const x = timeMajor ? ctx.input(0) : em.op('Transpose', [ctx.input(0)], { perm: [1, 0, 2] }, `${base}_tbi`);
  const [lstmY, yh, yc] = em.node('LSTM', [x, W, R, B, undefined, h0, c0, P], [`${base}_y`, `${base}_yh`, `${base}_yc`], {
    hidden_size: hidden,
    activations: { strings: ['Sigmoid', act, act] },
  });
  const y = offset ? toTfliteHidden(ctx, offset, lstmY, 'y') : lstmY;
  const squeezed = em.op('Squeeze', [y, em.int64([1])], {}, `${base}_tbh`);
  ctx.setOutput(0, timeMajor ? squeezed : em.op('Transpose', [squeezed], { perm: [1, 0, 2] }, base));
  if (ctx.stateExposed) {
    const h = em.op('Squeeze', [yh, em.int64([0])], {}, `${base}_h`);
    ctx.setState(18, offset ? toTfliteHidden(ctx, offset, h, 'h') : h);
    ctx.setState(19, em.op('Squeeze', [yc, em.int64([0])], {}, `${base}_c`));
  }
}

function cellClip(ctx: OpContext): number {
  const a = ctx.node.attribute('cell_clip');
  return a?.value.kind === 'float' ? a.value.value : a?.value.kind === 'int' ? Number(a.value.value) : 0;
}

/** Converters for recurrent ops. */
export const RECURRENT_OPS: Record<string, (ctx: OpContext) => void> = {
  UNIDIRECTIONAL_SEQUENCE_LSTM: sequenceLstm,
};
