// TFLite int8 TRANSPOSE_CONV (per-channel weights, int32 bias) converted to ONNX gives the int8 values
// TFLite's kernel gives: the products are summed exactly and requantized as the kernel does, where the
// same layer computed in float between DequantizeLinear and QuantizeLinear rounds values near a half
// step the other way (one step off on an int8 selfie segmentation).
import ort from 'onnxruntime-node';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeOnnx, encodeOnnx } from '../../../../src/engine/formats/onnx';
import { decodeTflite, onnxToTflite, tfliteToOnnx, writeTflite } from '../../../../src/engine/formats/tflite';
import { BuiltinOperator } from '../../../../src/engine/formats/tflite/generated/tflite/builtin-operator';
import { BuiltinOptions } from '../../../../src/engine/formats/tflite/generated/tflite/builtin-options';
import { Padding } from '../../../../src/engine/formats/tflite/generated/tflite/padding';
import { TensorType } from '../../../../src/engine/formats/tflite/generated/tflite/tensor-type';
import { TransposeConvOptionsT } from '../../../../src/engine/formats/tflite/generated/tflite/transpose-conv-options';
import type { TfliteQuantization, TfliteTensor } from '../../../../src/engine/formats/tflite/tflite-model';
import { createTfliteSession, type TfliteSession } from '../../../../src/engine/runtime/tflite';
import { bufferOf, builtinCode, operator, pseudoRandom, quant, SENTINEL, singleGraphModel, tensor } from '../../helpers/tflite-builders';
import { entry } from '../../../helpers/at';

const sessions: TfliteSession[] = [];
afterAll(async () => Promise.all(sessions.map((s) => s.dispose())));

const H = 8;
const C = 12;
const K = 10;
const perChannel = (scale: number[]): { quantization: TfliteQuantization } => ({
  quantization: { min: null, max: null, scale, zeroPoint: scale.map(() => 0n), quantizedDimension: 0, custom: null },
});

/** x int8[1,8,8,12] → TRANSPOSE_CONV 3×3 stride 2 (`padding`) → int8[1,16,16,10]. */
function transposeConv(padding: Padding, activation: number) {
  const buffers = [SENTINEL];
  const constant = (
    name: string,
    shape: number[],
    type: number,
    data: Int8Array | Int32Array,
    q: { quantization: TfliteQuantization } | object = {},
  ) => {
    buffers.push(bufferOf(data));
    return tensor(name, shape, type, { buffer: buffers.length - 1, ...q });
  };
  const f = Math.fround;
  const sx = 0.031;
  const scales = Array.from({ length: K }, (_, c) => 0.003 * (1 + (c % 4)));
  // an output scale a power of two times input × weight scale: many results land on a half step
  const sy = f(f(sx * 0.003) * 256);
  const out = padding === Padding.SAME ? 16 : 17;
  const tensors: TfliteTensor[] = [
    constant('shape', [4], TensorType.INT32, Int32Array.from([1, out, out, K])),
    constant(
      'w',
      [K, 3, 3, C],
      TensorType.INT8,
      Int8Array.from(pseudoRandom(K * 9 * C, 21), (v) => Math.round(v * 60)),
      perChannel(scales),
    ),
    tensor('x', [1, H, H, C], TensorType.INT8, quant(sx, -4)),
    constant(
      'b',
      [K],
      TensorType.INT32,
      Int32Array.from(pseudoRandom(K, 22), (v) => Math.round(v * 5000)),
      perChannel(scales.map((s) => s * sx)),
    ),
    tensor('y', [1, out, out, K], TensorType.INT8, quant(sy, 6)),
  ];
  return singleGraphModel({
    tensors,
    operators: [
      operator(0, [0, 1, 2, 3], [4], {
        builtinOptions: {
          type: BuiltinOptions.TransposeConvOptions,
          table: new TransposeConvOptionsT(padding, 2, 2, activation),
          absentVectors: [],
        },
      }),
    ],
    inputs: [2],
    outputs: [4],
    codes: [builtinCode(BuiltinOperator.TRANSPOSE_CONV, 3)],
    buffers,
  });
}

describe('TFLite int8 TRANSPOSE_CONV → ONNX', () => {
  // (no fused activation: the TFLite runtime here ignores TRANSPOSE_CONV's, which newer TFLite applies)
  for (const [label, padding, activation] of [
    ['SAME', Padding.SAME, 0],
    ['VALID', Padding.VALID, 0],
  ] as const) {
    it(`gives the int8 values TFLite gives: ${label}`, async () => {
      const bytes = writeTflite(transposeConv(padding, activation));
      const converted = tfliteToOnnx(decodeTflite(bytes));
      expect(converted.unconvertible).toEqual([]);
      expect(converted.model.graph.nodes.map((n) => n.opType)).not.toContain('DequantizeLinear');
      const session = await createTfliteSession(bytes);
      sessions.push(session);
      const onnx = await ort.InferenceSession.create(encodeOnnx(converted.model));
      // back to TFLite it is refused, not half-converted: the int64 products have no 32-bit form
      const back = await onnxToTflite(decodeOnnx(encodeOnnx(converted.model)));
      expect(back.unconvertible.map((u) => u.reason).join()).toMatch(/does not fit TFLite's 32-bit integers/);
      let compared = 0;
      for (const seed of [1, 2, 3]) {
        const x = Int8Array.from(pseudoRandom(H * H * C, seed), (v) => Math.round(v * 127));
        const want = Array.from((await session.run([x])).outputs[0] ?? []);
        const got = Array.from(
          entry(await onnx.run({ x: new ort.Tensor('int8', x, [1, H, H, C]) }), 'y', 'ONNX outputs').data as Int8Array,
        );
        expect(got.length).toBe(want.length);
        expect(got.filter((v, i) => v !== want[i]).length, `seed ${seed}: values that differ`).toBe(0);
        compared += got.length;
      }
      await onnx.release();
      expect(compared).toBeGreaterThan(3 * 16 * 16 * K - 1);
    });
  }
});
