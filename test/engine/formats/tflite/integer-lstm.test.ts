// TFLite's integer LSTM (int8 data and weights, int16 cell state, fixed-point gates) converts to ONNX
// integer arithmetic that gives the kernel's own integers. This builds such LSTMs (a non-zero hidden
// zero point, which the kernel subtracts; three time steps, so the recurrence matters; other cell
// scales, a cell clip, time-major data), converts them and compares the ONNX run with TFLite's.
import ort from 'onnxruntime-node';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeOnnx, encodeOnnx } from '../../../../src/engine/formats/onnx';
import {
  convertModelFormat,
  decodeTflite,
  encodeTflite,
  onnxToTflite,
  tfliteToOnnx,
  writeTflite,
} from '../../../../src/engine/formats/tflite';
import { BuiltinOperator } from '../../../../src/engine/formats/tflite/generated/tflite/builtin-operator';
import { BuiltinOptions } from '../../../../src/engine/formats/tflite/generated/tflite/builtin-options';
import { TensorType } from '../../../../src/engine/formats/tflite/generated/tflite/tensor-type';
import { UnidirectionalSequenceLSTMOptionsT } from '../../../../src/engine/formats/tflite/generated/tflite/unidirectional-sequence-lstmoptions';
import type { TfliteQuantization, TfliteTensor } from '../../../../src/engine/formats/tflite/tflite-model';
import { createTfliteSession, type TfliteSession } from '../../../../src/engine/runtime/tflite';
import { bufferOf, builtinCode, operator, pseudoRandom, quant, SENTINEL, singleGraphModel, tensor } from '../../helpers/tflite-builders';
import { entry } from '../../../helpers/at';

const T = 3;
const N = 6;
const H = 5;
const sessions: TfliteSession[] = [];
afterAll(async () => Promise.all(sessions.map((s) => s.dispose())));

interface Variant {
  /** log₂ of the cell state's scale (TFLite's kernel needs a power of two). */
  cellScale?: number;
  cellClip?: number;
  timeMajor?: boolean;
}

/** An int8 LSTM whose hidden state (and output) has zero point `hiddenZero`. */
function integerLstm(hiddenZero: number, { cellScale = -11, cellClip = 0, timeMajor = false }: Variant = {}) {
  const hidden = quant(1 / 128, hiddenZero);
  const ints = (n: number, seed: number) => Int8Array.from(pseudoRandom(n, seed), (v) => Math.round(v * 100));
  const buffers = [SENTINEL];
  const constant = (name: string, shape: number[], type: number, data: Int8Array | Int32Array, q: { quantization: TfliteQuantization }) => {
    buffers.push(bufferOf(data));
    return tensor(name, shape, type, { buffer: buffers.length - 1, ...q });
  };
  const tensors: TfliteTensor[] = [
    tensor('x', timeMajor ? [T, 1, N] : [1, T, N], TensorType.INT8, quant(0.05, 3)),
    ...[0, 1, 2, 3].map((g) => constant(`w${g}`, [H, N], TensorType.INT8, ints(H * N, 10 + g), quant(0.01))),
    ...[0, 1, 2, 3].map((g) => constant(`r${g}`, [H, H], TensorType.INT8, ints(H * H, 20 + g), quant(0.01))),
    ...[0, 1, 2, 3].map((g) =>
      constant(
        `b${g}`,
        [H],
        TensorType.INT32,
        Int32Array.from(pseudoRandom(H, 30 + g), (v) => Math.round(v * 400)),
        quant(0.0005),
      ),
    ),
    tensor('h', [1, H], TensorType.INT8, { ...hidden, isVariable: true }),
    tensor('c', [1, H], TensorType.INT16, { ...quant(2 ** cellScale), isVariable: true }),
    tensor('y', timeMajor ? [T, 1, H] : [1, T, H], TensorType.INT8, hidden),
    ...[0, 1, 2, 3].map((g) => tensor(`gate${g}`, [0])),
    tensor('effective_hidden', [0], TensorType.INT8, hidden),
  ];
  const options = new UnidirectionalSequenceLSTMOptionsT(4, cellClip, 0, timeMajor);
  return singleGraphModel({
    tensors,
    operators: [
      operator(0, [0, 1, 2, 3, 4, 5, 6, 7, 8, -1, -1, -1, 9, 10, 11, 12, -1, -1, 13, 14, -1, -1, -1, -1], [15], {
        builtinOptions: { type: BuiltinOptions.UnidirectionalSequenceLSTMOptions, table: options, absentVectors: [] },
        intermediates: [16, 17, 18, 19, 20],
      }),
    ],
    inputs: [0],
    outputs: [15],
    codes: [builtinCode(BuiltinOperator.UNIDIRECTIONAL_SEQUENCE_LSTM)],
    buffers,
  });
}

/** Largest difference, in quantization steps, between the TFLite run and the converted ONNX run. */
async function stepsApart(hiddenZero: number, variant: Variant = {}): Promise<number> {
  const bytes = writeTflite(integerLstm(hiddenZero, variant));
  const session = await createTfliteSession(bytes);
  sessions.push(session);
  const x = Int8Array.from(pseudoRandom(T * N, 7), (v) => Math.round(v * 120));
  const [want] = (await session.run([x])).outputs;
  const converted = tfliteToOnnx(decodeTflite(bytes));
  expect(converted.unconvertible).toEqual([]);
  expect(converted.model.graph.nodes.filter((n) => n.opType === 'Scan')).toHaveLength(1);
  const onnx = await ort.InferenceSession.create(encodeOnnx(converted.model));
  const shape = variant.timeMajor ? [T, 1, N] : [1, T, N];
  const got = entry(await onnx.run({ x: new ort.Tensor('int8', x, shape) }), 'y', 'ONNX outputs').data as Int8Array;
  let worst = 0;
  want?.forEach((v, i) => (worst = Math.max(worst, Math.abs(Number(v) - (got[i] ?? NaN)))));
  return worst;
}

/** Largest difference, in steps, between the TFLite model and the same model converted to ONNX and back. */
async function roundTripStepsApart(hiddenZero: number, variant: Variant = {}): Promise<number> {
  const bytes = writeTflite(integerLstm(hiddenZero, variant));
  const onnx = decodeOnnx(encodeOnnx(tfliteToOnnx(decodeTflite(bytes)).model));
  const back = (await convertModelFormat(onnx, 'tflite')).model;
  expect(back.graph.nodes.map((n) => n.opType)).toEqual(['UNIDIRECTIONAL_SEQUENCE_LSTM']);
  const [original, again] = await Promise.all([createTfliteSession(bytes), createTfliteSession(encodeTflite(back))]);
  sessions.push(original, again);
  let worst = 0;
  for (const seed of [7, 8]) {
    const x = Int8Array.from(pseudoRandom(T * N, seed), (v) => Math.round(v * 120));
    const [want] = (await original.run([x])).outputs;
    const [got] = (await again.run([x])).outputs;
    want?.forEach((v, i) => (worst = Math.max(worst, Math.abs(Number(v) - Number(got?.[i] ?? NaN)))));
  }
  return worst;
}

describe('TFLite integer LSTM → ONNX', () => {
  it("gives the kernel's integers when the hidden state has a zero point", async () => {
    expect(await stepsApart(-5)).toBe(0);
  });

  it('carries the exposed state from run to run as TFLite does', async () => {
    const bytes = writeTflite(integerLstm(-5));
    const session = await createTfliteSession(bytes);
    sessions.push(session);
    const converted = tfliteToOnnx(decodeTflite(bytes), { exposeState: true });
    const onnx = await ort.InferenceSession.create(encodeOnnx(converted.model));
    const state: Record<string, ort.Tensor> = Object.fromEntries(
      converted.states.map((s) => [
        s.input,
        new ort.Tensor(
          s.dtype === 'int8' ? 'int8' : 'int16',
          s.dtype === 'int8' ? new Int8Array(s.initial.buffer) : new Int16Array(s.initial.buffer),
          s.shape,
        ),
      ]),
    );
    let worst = 0;
    for (const seed of [7, 8, 9]) {
      const x = Int8Array.from(pseudoRandom(T * N, seed), (v) => Math.round(v * 120));
      // the TFLite session keeps its variable tensors between runs; the ONNX model is fed them
      const [want] = (await session.run([x])).outputs;
      const out = await onnx.run({ x: new ort.Tensor('int8', x, [1, T, N]), ...state });
      const got = entry(out, 'y', 'ONNX outputs').data as Int8Array;
      want?.forEach((v, i) => (worst = Math.max(worst, Math.abs(Number(v) - (got[i] ?? NaN)))));
      for (const s of converted.states) state[s.input] = entry(out, s.output, 'ONNX outputs');
    }
    expect(worst).toBe(0);
  });

  it("gives the kernel's integers when the zero point is 0", async () => {
    expect(await stepsApart(0)).toBe(0);
  });

  it("gives the kernel's integers with another cell scale, a cell clip and time-major data", async () => {
    expect(await stepsApart(7, { cellScale: -12, cellClip: 0.05, timeMajor: true })).toBe(0);
    expect(await stepsApart(-3, { cellScale: -9 })).toBe(0);
  });

  it('comes back to TFLite as the same integer LSTM', async () => {
    expect(await roundTripStepsApart(-5)).toBe(0);
    expect(await roundTripStepsApart(7, { cellScale: -12, cellClip: 0.05, timeMajor: true })).toBe(0);
  });

  it('refuses, with the reason, a Scan it did not write and an integer LSTM whose state is fed from outside', async () => {
    const bytes = writeTflite(integerLstm(-5));
    const foreign = decodeOnnx(encodeOnnx(tfliteToOnnx(decodeTflite(bytes)).model));
    for (const n of foreign.graph.nodes) n.docString = '';
    expect((await onnxToTflite(foreign)).unconvertible).toEqual([
      expect.objectContaining({ op: 'Scan', reason: expect.stringContaining('only the Scan Lithe writes') }),
    ]);
    const exposed = decodeOnnx(encodeOnnx(tfliteToOnnx(decodeTflite(bytes), { exposeState: true }).model));
    const reasons = (await onnxToTflite(exposed)).unconvertible.map((u) => u.reason);
    expect(reasons).toEqual(['the final state of the integer LSTM is read, and TFLite keeps it inside']);
  });
});
