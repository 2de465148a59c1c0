import { describe, expect, it } from 'vitest';
import { GraphBuilder } from '../../../passes/graph-builder';
import { convertAndRun } from '../convert-check';
import { int, str } from './attrs';

const H = 5;
const INPUT = 3;
const STEPS = 4;
const BATCH = 2;

/** An ONNX LSTM/GRU over x[STEPS, BATCH, INPUT] with random weights; returns the builder and the x input. */
function recurrent(
  op: 'LSTM' | 'GRU',
  attrs: Record<string, ReturnType<typeof str>>,
  options: { directions?: number; initial?: boolean; constantH0?: boolean; peepholes?: boolean; batchFirst?: boolean } = {},
) {
  const b = new GraphBuilder(14);
  const dirs = options.directions ?? 1;
  const gates = op === 'LSTM' ? 4 : 3;
  const x = b.input('x', options.batchFirst ? [BATCH, STEPS, INPUT] : [STEPS, BATCH, INPUT]);
  const stateShape = options.batchFirst ? [BATCH, dirs, H] : [dirs, BATCH, H];
  const h0 = options.initial ? b.input('h0', stateShape) : options.constantH0 ? b.weight('h0', stateShape) : undefined;
  const c0 = options.initial && op === 'LSTM' ? b.input('c0', stateShape) : undefined;
  const inputs = [
    x,
    b.weight('W', [dirs, gates * H, INPUT]),
    b.weight('R', [dirs, gates * H, H]),
    b.weight('B', [dirs, 2 * gates * H]),
    undefined,
    h0,
  ];
  if (op === 'LSTM') inputs.push(c0, options.peepholes ? b.weight('P', [dirs, 3 * H]) : undefined);
  const outs = b.opN(op, inputs, op === 'LSTM' ? 3 : 2, {
    hidden_size: int(H),
    ...(options.batchFirst ? { layout: int(1) } : {}),
    ...attrs,
  });
  return { b, outs };
}

describe('recurrent layers → TFLite', () => {
  it('makes a zero-state forward LSTM one UNIDIRECTIONAL_SEQUENCE_LSTM (Y and Y_h)', async () => {
    const { b, outs } = recurrent('LSTM', {});
    const [y, yh] = outs;
    if (!y || !yh) throw new Error('outputs');
    b.output(y).output(yh);
    const { relative, ops } = await convertAndRun(b.model);
    expect(ops.filter((o) => o === 'UNIDIRECTIONAL_SEQUENCE_LSTM')).toHaveLength(1);
    expect(relative).toBeLessThanOrEqual(1e-5);
  });

  for (const direction of ['forward', 'reverse'])
    it(`keeps a ${direction} LSTM with a constant initial hidden state one sequence op (first-step input columns)`, async () => {
      const { b, outs } = recurrent('LSTM', { direction: str(direction) }, { constantH0: true, peepholes: true });
      const [y, yh] = outs;
      if (!y || !yh) throw new Error('outputs');
      b.output(y).output(yh);
      const { relative, ops } = await convertAndRun(b.model);
      expect(ops.filter((o) => o === 'UNIDIRECTIONAL_SEQUENCE_LSTM')).toHaveLength(1);
      expect(ops).not.toContain('FULLY_CONNECTED');
      expect(relative).toBeLessThanOrEqual(1e-5);
    });

  it('makes a bidirectional LSTM two sequence ops, not written-out steps', async () => {
    const { b, outs } = recurrent('LSTM', { direction: str('bidirectional') }, { directions: 2, constantH0: true });
    const [y, yh] = outs;
    if (!y || !yh) throw new Error('outputs');
    b.output(y).output(yh);
    const { relative, ops } = await convertAndRun(b.model);
    expect(ops.filter((o) => o === 'UNIDIRECTIONAL_SEQUENCE_LSTM')).toHaveLength(2);
    expect(ops).not.toContain('LOGISTIC');
    expect(relative).toBeLessThanOrEqual(1e-5);
  });

  it('writes out the steps of an LSTM with a given initial state, peepholes and both directions', async () => {
    const { b, outs } = recurrent('LSTM', { direction: str('bidirectional') }, { directions: 2, initial: true, peepholes: true });
    for (const o of outs) b.output(o);
    const { relative, ops } = await convertAndRun(b.model);
    expect(ops).not.toContain('UNIDIRECTIONAL_SEQUENCE_LSTM');
    expect(relative).toBeLessThanOrEqual(1e-5);
  });

  it('converts a reverse LSTM', async () => {
    const { b, outs } = recurrent('LSTM', { direction: str('reverse') });
    const [y] = outs;
    if (!y) throw new Error('outputs');
    b.output(y);
    expect((await convertAndRun(b.model)).relative).toBeLessThanOrEqual(1e-5);
  });

  for (const lbr of [0, 1])
    it(`writes out GRU steps (linear_before_reset ${lbr})`, async () => {
      const { b, outs } = recurrent('GRU', { linear_before_reset: int(lbr) } as never, { initial: true });
      for (const o of outs) b.output(o);
      expect((await convertAndRun(b.model)).relative).toBeLessThanOrEqual(1e-5);
    });

  it('writes out a bidirectional GRU', async () => {
    const { b, outs } = recurrent('GRU', { direction: str('bidirectional') }, { directions: 2 });
    for (const o of outs) b.output(o);
    expect((await convertAndRun(b.model)).relative).toBeLessThanOrEqual(1e-5);
  });
});
