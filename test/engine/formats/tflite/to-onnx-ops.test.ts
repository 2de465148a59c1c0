import { describe, expect, it } from 'vitest';
import { decodeOnnx, encodeOnnx } from '../../../../src/engine/formats/onnx';
import { decodeTflite, encodeTflite, onnxToTflite, tfliteToOnnx } from '../../../../src/engine/formats/tflite';
import { GraphBuilder } from '../../passes/graph-builder';
import { int, ints, str } from './from-onnx/attrs';
import { tfliteBackToOnnx } from './to-onnx-check';

const H = 5;

/** ONNX LSTM over x[4, 2, 3] (time, batch, features), Y only: converts to one UNIDIRECTIONAL_SEQUENCE_LSTM. */
function lstmPattern(): GraphBuilder {
  const b = new GraphBuilder(14);
  const x = b.input('x', [4, 2, 3]);
  const [y] = b.opN('LSTM', [x, b.weight('W', [1, 4 * H, 3]), b.weight('R', [1, 4 * H, H]), b.weight('B', [1, 8 * H])], 1, {
    hidden_size: int(H),
  });
  if (!y) throw new Error('LSTM output');
  return b.output(y);
}

describe('TFLite → ONNX operators', () => {
  it('makes a sequence LSTM one ONNX LSTM with the state kept inside (same inputs and outputs)', async () => {
    const check = await tfliteBackToOnnx(lstmPattern().model);
    expect(check.tfliteOps).toContain('UNIDIRECTIONAL_SEQUENCE_LSTM');
    expect(check.onnxOps.filter((o) => o === 'LSTM')).toHaveLength(1);
    expect(check.onnxOps.length).toBeLessThan(10);
    expect(check.onnxIo).toEqual(check.tfliteIo);
    expect(check.result.states).toEqual([]);
    expect(check.relative).toBeLessThanOrEqual(1e-5);
  });

  it('brings a bidirectional LSTM back: two LSTMs and the reversals (REVERSE_V2) as Slice', async () => {
    const b = new GraphBuilder(14);
    const x = b.input('x', [4, 2, 3]);
    const [y] = b.opN('LSTM', [x, b.weight('W', [2, 4 * H, 3]), b.weight('R', [2, 4 * H, H]), b.weight('B', [2, 8 * H])], 1, {
      hidden_size: int(H),
      direction: str('bidirectional'),
    });
    if (!y) throw new Error('LSTM output');
    const check = await tfliteBackToOnnx(b.output(y).model);
    expect(check.tfliteOps.filter((o) => o === 'REVERSE_V2')).toHaveLength(2);
    expect(check.onnxOps.filter((o) => o === 'LSTM')).toHaveLength(2);
    expect(check.relative).toBeLessThanOrEqual(1e-5);
  });

  it('exposes the LSTM state as an input/output pair when asked', async () => {
    const forward = await onnxToTflite(decodeOnnx(encodeOnnx(lstmPattern().model)));
    const result = tfliteToOnnx(decodeTflite(encodeTflite(forward.model)), { exposeState: true });
    expect(result.states).toHaveLength(2);
    expect(result.model.graph.inputs).toHaveLength(3);
    expect(result.model.graph.outputs).toHaveLength(3);
    expect(result.model.graph.nodes.filter((n) => n.opType === 'LSTM')).toHaveLength(1);
  });

  it.each(['none', 'tanh'])('writes GELU (approximate %s) out for opsets before Gelu', async (approximate) => {
    const b = new GraphBuilder(20);
    const x = b.input('x', [2, 16]);
    b.output(b.op('Gelu', [b.op('MatMul', [x, b.weight('w', [16, 16])])], { approximate: str(approximate) }), [2, 16]);
    const check = await tfliteBackToOnnx(b.model);
    expect(check.tfliteOps).toContain('GELU');
    expect(check.onnxOps).not.toContain('Gelu');
    expect(check.relative).toBeLessThanOrEqual(1e-5);
  });

  it('converts transposed convolution (TRANSPOSE_CONV) with strides and padding', async () => {
    const b = new GraphBuilder(13);
    const x = b.input('x', [1, 2, 5, 5]);
    b.output(
      b.op('ConvTranspose', [x, b.weight('w', [2, 3, 3, 3]), b.weight('bias', [3])], { strides: ints([2, 2]), pads: ints([1, 1, 1, 1]) }),
    );
    const check = await tfliteBackToOnnx(b.model);
    expect(check.tfliteOps).toContain('TRANSPOSE_CONV');
    expect(check.onnxOps).toContain('ConvTranspose');
    expect(check.relative).toBeLessThanOrEqual(1e-5);
  });

  it('converts comparisons, logic and selection', async () => {
    const b = new GraphBuilder(13);
    const x = b.input('x', [2, 6]);
    const y = b.input('y', [2, 6]);
    const both = b.op('And', [b.op('Greater', [x, y]), b.op('Not', [b.op('Less', [x, b.weight('t', [1], [0])])])]);
    const either = b.op('Or', [b.op('Equal', [x, x]), b.op('LessOrEqual', [x, y])]);
    b.output(b.op('Where', [both, x, y]));
    b.output(b.op('Where', [either, y, x]));
    b.output(b.op('Where', [b.op('GreaterOrEqual', [y, x]), x, y]));
    const check = await tfliteBackToOnnx(b.model);
    for (const op of ['GREATER', 'LESS', 'LOGICAL_AND', 'LOGICAL_OR', 'LOGICAL_NOT', 'EQUAL', 'SELECT_V2'])
      expect(check.tfliteOps).toContain(op);
    expect(check.relative).toBe(0);
  });

  it('converts split, tile, broadcast, rounding and sign', async () => {
    const b = new GraphBuilder(13);
    const x = b.input('x', [2, 6]);
    const [p, q, r] = b.opN('Split', [x, b.ints('sizes', [1, 2, 3])], 3, { axis: int(1) });
    const [u, v] = b.opN('Split', [x], 2, { axis: int(0) });
    if (!p || !q || !r || !u || !v) throw new Error('split outputs');
    b.output(p).output(q).output(r).output(u).output(v);
    b.output(b.op('Tile', [x, b.ints('reps', [2, 1])]));
    b.output(b.op('Expand', [b.op('Round', [b.op('Mul', [u, b.weight('k', [1], [7])])]), b.ints('shape', [3, 6])]));
    b.output(b.op('Sign', [x]));
    const check = await tfliteBackToOnnx(b.model);
    for (const op of ['SPLIT_V', 'TILE', 'ROUND', 'SIGN']) expect(check.tfliteOps).toContain(op);
    expect(check.relative).toBe(0);
  });
});
