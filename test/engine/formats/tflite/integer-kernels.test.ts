// TFLite int8 CONV_2D (per-channel weights), DEPTHWISE_CONV_2D (fused ReLU6) and FULLY_CONNECTED
// converted to ONNX compute exactly what TFLite's integer kernels compute: every output of the
// TFLite runtime and of onnxruntime on the converted model is the same int8 value. The same
// layers computed in float between DequantizeLinear and QuantizeLinear round some values near
// a half step the other way (the drift seen on int8 MobileNetV2).
import ort from 'onnxruntime-node';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeOnnx, encodeOnnx } from '../../../../src/engine/formats/onnx';
import { decodeTflite, encodeTflite, onnxToTflite, tfliteToOnnx, writeTflite } from '../../../../src/engine/formats/tflite';
import { AddOptionsT } from '../../../../src/engine/formats/tflite/generated/tflite/add-options';
import { BuiltinOperator } from '../../../../src/engine/formats/tflite/generated/tflite/builtin-operator';
import { BuiltinOptions } from '../../../../src/engine/formats/tflite/generated/tflite/builtin-options';
import { Conv2DOptionsT } from '../../../../src/engine/formats/tflite/generated/tflite/conv2doptions';
import { DepthwiseConv2DOptionsT } from '../../../../src/engine/formats/tflite/generated/tflite/depthwise-conv2doptions';
import { FullyConnectedOptionsT } from '../../../../src/engine/formats/tflite/generated/tflite/fully-connected-options';
import { TensorType } from '../../../../src/engine/formats/tflite/generated/tflite/tensor-type';
import type { TfliteQuantization, TfliteTensor } from '../../../../src/engine/formats/tflite/tflite-model';
import { createTfliteSession, type TfliteSession } from '../../../../src/engine/runtime/tflite';
import { bufferOf, builtinCode, operator, pseudoRandom, quant, SENTINEL, singleGraphModel, tensor } from '../../helpers/tflite-builders';
import { entry } from '../../../helpers/at';

const sessions: TfliteSession[] = [];
afterAll(async () => Promise.all(sessions.map((s) => s.dispose())));

const C = 16;
const K = 24;
const CLASSES = 10;
const options = <T>(type: BuiltinOptions, table: T) => ({ builtinOptions: { type, table, absentVectors: [] } });
const perChannel = (scale: number[], axis: number): { quantization: TfliteQuantization } => ({
  quantization: { min: null, max: null, scale, zeroPoint: scale.map(() => 0n), quantizedDimension: axis, custom: null },
});

/** x int8[1,16,16,16] → CONV_2D 3×3 SAME → DEPTHWISE 3×3 VALID stride 2 + ReLU6 → FULLY_CONNECTED → int8[1,10]; each stage an output. */
function integerNet() {
  const buffers = [SENTINEL];
  const constant = (name: string, shape: number[], type: number, data: Int8Array | Int32Array, q: { quantization: TfliteQuantization }) => {
    buffers.push(bufferOf(data));
    return tensor(name, shape, type, { buffer: buffers.length - 1, ...q });
  };
  const ints = (n: number, seed: number, size = 127) => Int8Array.from(pseudoRandom(n, seed), (v) => Math.round(v * size));
  // Output scales a power of two times input × weight scale: many results fall (almost) exactly on a half
  // step, where the order of float rounding decides the side, and the integer kernels never waver.
  const f = Math.fround;
  const sx = 0.037;
  const convScales = Array.from({ length: K }, (_, c) => 0.004 * (1 + (c % 4)));
  const s1 = f(f(sx * 0.004) * 512);
  const dwScales = Array.from({ length: K }, (_, c) => 0.01 * (1 + (c % 3)));
  const s2 = f(f(s1 * 0.01) * 256);
  const fcScale = 0.0043;
  const s3 = f(f(s2 * fcScale) * 1024);
  const bias = (n: number, seed: number) => Int32Array.from(pseudoRandom(n, seed), (v) => Math.round(v * 3000));
  const tensors: TfliteTensor[] = [
    tensor('x', [1, 16, 16, C], TensorType.INT8, quant(sx, 5)),
    constant('conv_w', [K, 3, 3, C], TensorType.INT8, ints(K * 9 * C, 11, 20), perChannel(convScales, 0)),
    constant(
      'conv_b',
      [K],
      TensorType.INT32,
      bias(K, 12),
      perChannel(
        convScales.map((s) => s * sx),
        0,
      ),
    ),
    tensor('y1', [1, 16, 16, K], TensorType.INT8, quant(s1, -7)),
    constant('dw_w', [1, 3, 3, K], TensorType.INT8, ints(9 * K, 13, 40), perChannel(dwScales, 3)),
    constant(
      'dw_b',
      [K],
      TensorType.INT32,
      bias(K, 14),
      perChannel(
        dwScales.map((s) => s * s1),
        0,
      ),
    ),
    tensor('y2', [1, 7, 7, K], TensorType.INT8, quant(s2, 3)),
    constant('fc_w', [CLASSES, 49 * K], TensorType.INT8, ints(CLASSES * 49 * K, 15), quant(fcScale)),
    constant('fc_b', [CLASSES], TensorType.INT32, bias(CLASSES, 16), quant(fcScale * s2)),
    tensor('y3', [1, CLASSES], TensorType.INT8, quant(s3, -2)),
  ];
  return singleGraphModel({
    tensors,
    operators: [
      operator(0, [0, 1, 2], [3], options(BuiltinOptions.Conv2DOptions, new Conv2DOptionsT(0, 1, 1, 0))),
      operator(1, [3, 4, 5], [6], options(BuiltinOptions.DepthwiseConv2DOptions, new DepthwiseConv2DOptionsT(1, 2, 2, 1, 3))),
      operator(2, [6, 7, 8], [9], options(BuiltinOptions.FullyConnectedOptions, new FullyConnectedOptionsT())),
    ],
    inputs: [0],
    outputs: [3, 6, 9],
    codes: [
      builtinCode(BuiltinOperator.CONV_2D, 3),
      builtinCode(BuiltinOperator.DEPTHWISE_CONV_2D, 3),
      builtinCode(BuiltinOperator.FULLY_CONNECTED, 4),
    ],
    buffers,
  });
}

describe('TFLite integer kernels → ONNX', () => {
  it('give the int8 values TFLite gives, at every stage', async () => {
    const bytes = writeTflite(integerNet());
    const converted = tfliteToOnnx(decodeTflite(bytes));
    expect(converted.unconvertible).toEqual([]);
    const ops = converted.model.graph.nodes.map((n) => n.opType);
    expect(ops.filter((op) => op === 'QLinearConv')).toHaveLength(3);
    expect(ops).not.toContain('DequantizeLinear');
    const session = await createTfliteSession(bytes);
    sessions.push(session);
    let compared = 0;
    // as written (onnxruntime's optimizer turns some float QDQ patterns into its integer kernels itself), and optimized
    for (const level of ['disabled', 'all'] as const) {
      const onnx = await ort.InferenceSession.create(encodeOnnx(converted.model), { graphOptimizationLevel: level });
      for (const seed of [1, 2, 3]) {
        const x = Int8Array.from(pseudoRandom(16 * 16 * C, seed), (v) => Math.round(v * 127));
        const want = (await session.run([x])).outputs;
        const got = await onnx.run({ x: new ort.Tensor('int8', x, [1, 16, 16, C]) });
        for (const [k, name] of ['y1', 'y2', 'y3'].entries()) {
          const tflite = Array.from(want[k] ?? []);
          const mine = Array.from(entry(got, name, 'ONNX outputs').data as Int8Array);
          expect(mine.length).toBe(tflite.length);
          const apart = mine.filter((v, i) => v !== tflite[i]).length;
          console.log(
            name,
            level,
            'sat',
            mine.filter((v) => v === 127 || v === -128).length,
            'of',
            mine.length,
            'distinct',
            new Set(mine).size,
            'apart',
            apart,
          );
          expect(apart, `${name}, seed ${seed}, ${level}: ${apart} of ${mine.length} values differ`).toBe(0);
          compared += mine.length;
        }
      }
      await onnx.release();
    }
    expect(compared).toBe(2 * 3 * (16 * 16 * K + 7 * 7 * K + CLASSES));
    // back to TFLite: the QLinearConvs become int8 CONV_2D / DEPTHWISE_CONV_2D again, with the same results
    const back = await onnxToTflite(decodeOnnx(encodeOnnx(converted.model)));
    expect(back.unconvertible).toEqual([]);
    const backOps = back.model.graph.nodes.map((n) => n.opType);
    expect(backOps).toContain('DEPTHWISE_CONV_2D');
    expect(backOps.filter((op) => op === 'CONV_2D')).toHaveLength(2);
    expect(backOps).not.toContain('DEQUANTIZE');
    // the int8 inputs and outputs keep their quantization, also where a RESHAPE makes them (y3)
    const zeroPoints = (values: readonly { quantization?: { zeroPoint: number[] } }[]) => values.map((v) => v.quantization?.zeroPoint[0]);
    expect(zeroPoints(back.model.graph.inputs)).toEqual([5]);
    expect(zeroPoints(back.model.graph.outputs)).toEqual([-7, 3, -2]);
    const again = await createTfliteSession(encodeTflite(back.model));
    sessions.push(again);
    for (const seed of [1, 2, 3]) {
      const x = Int8Array.from(pseudoRandom(16 * 16 * C, seed), (v) => Math.round(v * 127));
      const want = (await session.run([x])).outputs;
      const got = (await again.run([x])).outputs;
      for (const k of [0, 1, 2]) {
        const apart = Array.from(got[k] ?? []).filter((v, i) => v !== want[k]?.[i]).length;
        expect(apart, `round trip, output ${k}, seed ${seed}: ${apart} values differ`).toBe(0);
      }
    }
  });

  it('add as TFLite does: every pair of int8 values, with a fused ReLU', async () => {
    const n = 256 * 256;
    const bytes = writeTflite(
      singleGraphModel({
        tensors: [
          tensor('a', [1, n], TensorType.INT8, quant(0.0358, -3)),
          tensor('b', [1, n], TensorType.INT8, quant(0.0281, -1)),
          tensor('y', [1, n], TensorType.INT8, quant(0.0412, 2)),
        ],
        operators: [operator(0, [0, 1], [2], options(BuiltinOptions.AddOptions, new AddOptionsT(1)))],
        inputs: [0, 1],
        outputs: [2],
        codes: [builtinCode(BuiltinOperator.ADD, 2)],
      }),
    );
    const converted = tfliteToOnnx(decodeTflite(bytes));
    expect(converted.model.graph.nodes.map((node) => node.opType)).not.toContain('DequantizeLinear');
    const session = await createTfliteSession(bytes);
    sessions.push(session);
    const a = Int8Array.from({ length: n }, (_, i) => (i >> 8) - 128);
    const b = Int8Array.from({ length: n }, (_, i) => (i & 255) - 128);
    const want = Array.from((await session.run([a, b])).outputs[0] ?? []);
    const onnx = await ort.InferenceSession.create(encodeOnnx(converted.model), { graphOptimizationLevel: 'disabled' });
    const got = Array.from(
      entry(await onnx.run({ a: new ort.Tensor('int8', a, [1, n]), b: new ort.Tensor('int8', b, [1, n]) }), 'y', 'ONNX outputs')
        .data as Int8Array,
    );
    await onnx.release();
    expect(got.length).toBe(n);
    const apart = got.filter((v, i) => v !== want[i]).length;
    expect(apart, `${apart} of ${n} sums differ`).toBe(0);
    // the ReLU holds: nothing below the zero point
    expect(Math.min(...got)).toBe(2);
    // and back to TFLite: the integer arithmetic converts as it is (FLOOR_MOD for the rounding shift)
    const back = await onnxToTflite(decodeOnnx(encodeOnnx(converted.model)));
    expect(back.unconvertible).toEqual([]);
    const again = await createTfliteSession(encodeTflite(back.model));
    sessions.push(again);
    const roundTrip = Array.from((await again.run([a, b])).outputs[0] ?? []);
    expect(roundTrip.filter((v, i) => v !== want[i]).length).toBe(0);
  });
});
