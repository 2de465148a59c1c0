// SVDF → ONNX: builds float and integer SVDF models (rank 2 and 1, a memory of 4 steps), runs them in
// the TFLite runtime and the converted ONNX model in onnxruntime on the same inputs. With the state
// exposed, three runs in a row check that the state shifts as TFLite's does.
import ort from 'onnxruntime-node';
import { afterAll, describe, expect, it } from 'vitest';
import { encodeOnnx } from '../../../../src/engine/formats/onnx';
import { decodeTflite, tfliteToOnnx, writeTflite } from '../../../../src/engine/formats/tflite';
import { ActivationFunctionType } from '../../../../src/engine/formats/tflite/generated/tflite/activation-function-type';
import { BuiltinOperator } from '../../../../src/engine/formats/tflite/generated/tflite/builtin-operator';
import { BuiltinOptions } from '../../../../src/engine/formats/tflite/generated/tflite/builtin-options';
import { QuantizeOptionsT } from '../../../../src/engine/formats/tflite/generated/tflite/quantize-options';
import { SVDFOptionsT } from '../../../../src/engine/formats/tflite/generated/tflite/svdfoptions';
import { TensorType } from '../../../../src/engine/formats/tflite/generated/tflite/tensor-type';
import type { TfliteTensor } from '../../../../src/engine/formats/tflite/tflite-model';
import { createTfliteSession, type TfliteSession } from '../../../../src/engine/runtime/tflite';
import { bufferOf, builtinCode, operator, pseudoRandom, quant, SENTINEL, singleGraphModel, tensor } from '../../helpers/tflite-builders';
import { entry } from '../../../helpers/at';

const B = 1;
const I = 6;
const M = 4;
const sessions: TfliteSession[] = [];
afterAll(async () => Promise.all(sessions.map((s) => s.dispose())));

const svdfOptions = (rank: number, activation: number) => ({
  builtinOptions: { type: BuiltinOptions.SVDFOptions, table: new SVDFOptionsT(rank, activation), absentVectors: [] },
});

/** A float SVDF with `rank` filters per unit and a RELU. */
function floatSvdf(rank: number, units: number) {
  const F = rank * units;
  return singleGraphModel({
    tensors: [
      tensor('x', [B, I]),
      tensor('feature', [F, I], TensorType.FLOAT32, { buffer: 1 }),
      tensor('time', [F, M], TensorType.FLOAT32, { buffer: 2 }),
      tensor('bias', [units], TensorType.FLOAT32, { buffer: 3 }),
      tensor('state', [B, F * M], TensorType.FLOAT32, { isVariable: true }),
      tensor('y', [B, units]),
    ],
    operators: [operator(0, [0, 1, 2, 3, 4], [5], svdfOptions(rank, ActivationFunctionType.RELU))],
    inputs: [0],
    outputs: [5],
    codes: [builtinCode(BuiltinOperator.SVDF)],
    buffers: [SENTINEL, bufferOf(pseudoRandom(F * I, 1)), bufferOf(pseudoRandom(F * M, 2)), bufferOf(pseudoRandom(units, 3)), SENTINEL],
  });
}

/**
 * The integer SVDF as TensorFlow's converter writes it: int8 input/weights/output, int16 time weights
 * and state, int32 bias in units of state scale × time scale. The model's input is int16, quantized
 * to int8 for the SVDF and to an int32 output beside it.
 */
function integerSvdf(units: number, outputZero: number) {
  const F = units;
  const stateScale = 0.004;
  const timeScale = 0.003;
  const quantize = { builtinOptions: { type: BuiltinOptions.QuantizeOptions, table: new QuantizeOptionsT(), absentVectors: [] } };
  const tensors: TfliteTensor[] = [
    tensor('x8', [B, I], TensorType.INT8, quant(0.05, -20)),
    tensor('feature', [F, I], TensorType.INT8, { buffer: 1, ...quant(0.01) }),
    tensor('time', [F, M], TensorType.INT16, { buffer: 2, ...quant(timeScale) }),
    tensor('bias', [units], TensorType.INT32, { buffer: 3, ...quant(stateScale * timeScale) }),
    tensor('state', [B, F * M], TensorType.INT16, { isVariable: true, ...quant(stateScale) }),
    tensor('y', [B, units], TensorType.INT8, quant(0.02, outputZero)),
    tensor('x', [B, I], TensorType.INT16, quant(0.001)),
    tensor('y32', [B, I], TensorType.INT32, quant(0.0005, 3)),
  ];
  return singleGraphModel({
    tensors,
    operators: [
      operator(1, [6], [0], quantize),
      operator(0, [0, 1, 2, 3, 4], [5], svdfOptions(1, ActivationFunctionType.RELU)),
      operator(1, [6], [7], quantize),
    ],
    inputs: [6],
    outputs: [5, 7],
    codes: [builtinCode(BuiltinOperator.SVDF), builtinCode(BuiltinOperator.QUANTIZE)],
    buffers: [
      SENTINEL,
      bufferOf(Int8Array.from(pseudoRandom(F * I, 4), (v) => Math.round(v * 120))),
      bufferOf(Int16Array.from(pseudoRandom(F * M, 5), (v) => Math.round(v * 3000))),
      bufferOf(Int32Array.from(pseudoRandom(units, 6), (v) => Math.round(v * 20000))),
      SENTINEL,
    ],
  });
}

type Feed = Float32Array | Int16Array;

/** Runs TFLite and the converted ONNX model `runs` times in a row; the largest difference per output. */
async function compare(bytes: Uint8Array, feeds: Feed[], exposeState: boolean): Promise<Record<string, number>> {
  const session = await createTfliteSession(bytes);
  sessions.push(session);
  const converted = tfliteToOnnx(decodeTflite(bytes), { exposeState });
  expect(converted.unconvertible).toEqual([]);
  const onnx = await ort.InferenceSession.create(encodeOnnx(converted.model));
  const state: Record<string, ort.Tensor> = {};
  for (const s of converted.states) {
    const data = s.dtype === 'int16' ? new Int16Array(s.initial.buffer) : new Float32Array(s.initial.buffer);
    state[s.input] = new ort.Tensor(s.dtype === 'int16' ? 'int16' : 'float32', data, s.shape);
  }
  const worst: Record<string, number> = {};
  for (const x of feeds) {
    const want = (await session.run([x])).outputs;
    const input = new ort.Tensor(x instanceof Int16Array ? 'int16' : 'float32', x, [B, I]);
    const out = await onnx.run({ x: input, ...state });
    session.outputs.forEach((info, k) => {
      const got = entry(out, info.name, 'ONNX outputs').data as ArrayLike<number>;
      want[k]?.forEach((v, i) => (worst[info.name] = Math.max(worst[info.name] ?? 0, Math.abs(Number(v) - Number(got[i])))));
    });
    for (const s of converted.states) state[s.input] = entry(out, s.output, 'ONNX outputs');
  }
  await onnx.release();
  return worst;
}

const floats = (seeds: number[]) => seeds.map((s) => pseudoRandom(B * I, s).map((v) => v * 2));
const int16s = (seeds: number[]) => seeds.map((s) => Int16Array.from(pseudoRandom(B * I, s), (v) => Math.round(v * 3000)));

describe('TFLite SVDF → ONNX', () => {
  it('float SVDF of rank 2 matches the TFLite runtime', async () => {
    const worst = await compare(writeTflite(floatSvdf(2, 3)), floats([11]), false);
    expect(worst.y).toBeLessThan(1e-5);
  });

  it('float SVDF with the state exposed carries it from run to run as TFLite does', async () => {
    const worst = await compare(writeTflite(floatSvdf(2, 3)), floats([11, 12, 13, 14, 15]), true);
    expect(worst.y).toBeLessThan(1e-5);
  });

  it('converts to one Gemm for the features, without unrolling the filters', () => {
    const converted = tfliteToOnnx(decodeTflite(writeTflite(floatSvdf(2, 3))));
    expect(converted.model.graph.nodes.filter((n) => n.opType === 'Gemm')).toHaveLength(1);
    expect(converted.model.graph.inputs.map((v) => v.name)).toEqual(['x']);
  });

  it('integer SVDF (int16 state, int32 bias) and its int32 output stay within one step', async () => {
    const worst = await compare(writeTflite(integerSvdf(5, -128)), int16s([21]), false);
    expect(worst.y).toBeLessThanOrEqual(1);
    expect(worst.y32).toBeLessThanOrEqual(1);
  });

  it('integer SVDF ignores the fused RELU as TFLite does, and carries the int16 state', async () => {
    const worst = await compare(writeTflite(integerSvdf(5, 10)), int16s([21, 22, 23, 24, 25]), true);
    expect(worst.y).toBeLessThanOrEqual(1);
  });
});
