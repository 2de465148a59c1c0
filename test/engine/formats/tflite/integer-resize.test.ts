// TFLite int8 RESIZE_BILINEAR converted to ONNX gives the int8 values TFLite's kernel gives: it interpolates the
// stored integers with 1/1024 weights and rounds halves away from zero. The same resize in float between
// DequantizeLinear and QuantizeLinear (halves to even, exact weights) is one step off on some values.
import ort from 'onnxruntime-node';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeOnnx, encodeOnnx } from '../../../../src/engine/formats/onnx';
import { decodeTflite, encodeTflite, onnxToTflite, tfliteToOnnx, writeTflite } from '../../../../src/engine/formats/tflite';
import { interpolationTable } from '../../../../src/engine/formats/tflite/convert/integer-resize';
import { BuiltinOperator } from '../../../../src/engine/formats/tflite/generated/tflite/builtin-operator';
import { BuiltinOptions } from '../../../../src/engine/formats/tflite/generated/tflite/builtin-options';
import { ResizeBilinearOptionsT } from '../../../../src/engine/formats/tflite/generated/tflite/resize-bilinear-options';
import { TensorType } from '../../../../src/engine/formats/tflite/generated/tflite/tensor-type';
import { createTfliteSession, type TfliteSession } from '../../../../src/engine/runtime/tflite';
import { bufferOf, builtinCode, operator, pseudoRandom, quant, SENTINEL, singleGraphModel, tensor } from '../../helpers/tflite-builders';
import { entry } from '../../../helpers/at';

const sessions: TfliteSession[] = [];
afterAll(async () => Promise.all(sessions.map((s) => s.dispose())));

const C = 8;

/** x int8[1, h, w, 8] → RESIZE_BILINEAR → int8[1, height, width, 8]; the output scale differs when `rescaled`. */
function resizeModel(h: number, w: number, height: number, width: number, alignCorners: boolean, halfPixel: boolean, rescaled = false) {
  return singleGraphModel({
    tensors: [
      tensor('x', [1, h, w, C], TensorType.INT8, quant(0.05, -3)),
      tensor('size', [2], TensorType.INT32, { buffer: 1 }),
      tensor('y', [1, height, width, C], TensorType.INT8, quant(rescaled ? 0.11 : 0.05, rescaled ? 4 : -3)),
    ],
    operators: [
      operator(0, [0, 1], [2], {
        builtinOptions: {
          type: BuiltinOptions.ResizeBilinearOptions,
          table: new ResizeBilinearOptionsT(0, 0, alignCorners, halfPixel),
          absentVectors: [],
        },
      }),
    ],
    inputs: [0],
    outputs: [2],
    codes: [builtinCode(BuiltinOperator.RESIZE_BILINEAR, 3)],
    buffers: [SENTINEL, bufferOf(new Int32Array([height, width]))],
  });
}

const CASES: [string, number, number, number, number, boolean, boolean, boolean?][] = [
  ['2× half-pixel', 4, 4, 8, 8, false, true],
  ['2× asymmetric', 4, 4, 8, 8, false, false],
  ['2× align corners', 4, 4, 8, 8, true, false],
  ['3 → 7 by 5 → 3 half-pixel', 3, 5, 7, 3, false, true],
  ['5 → 12 by 6 → 4 asymmetric', 5, 6, 12, 4, false, false],
  ['7 → 3 by 4 → 9 align corners', 7, 4, 3, 9, true, false],
  ['3 → 10 half-pixel, output scale differs', 3, 3, 10, 10, false, true, true],
];

describe('TFLite int8 RESIZE_BILINEAR → ONNX', () => {
  it('has weights on a 1/1024 grid that sum to 1024', () => {
    const t = interpolationTable(3, 7, false, true);
    expect(t.wLo.map((w, i) => w + (t.wHi[i] ?? 0))).toEqual(Array(7).fill(1024));
    // scale ⌊(3·1024 + 3) / 7⌋ = 439: the first row reads row 0 only, the last stays inside
    expect(t.lo[0]).toBe(0);
    expect(t.hi[0]).toBe(0);
    expect(Math.max(...t.hi)).toBe(2);
  });

  it.each(CASES)('gives the values TFLite gives: %s', async (_, h, w, height, width, alignCorners, halfPixel, rescaled) => {
    const bytes = writeTflite(resizeModel(h, w, height, width, alignCorners, halfPixel, rescaled));
    const converted = tfliteToOnnx(decodeTflite(bytes));
    expect(converted.unconvertible).toEqual([]);
    expect(converted.model.graph.nodes.map((n) => n.opType)).not.toContain('Resize');
    const session = await createTfliteSession(bytes);
    sessions.push(session);
    const onnx = await ort.InferenceSession.create(encodeOnnx(converted.model));
    let compared = 0;
    for (const seed of [1, 2, 3]) {
      // every stored value, halves (an even sum of two neighbours over 2) among them
      const x = Int8Array.from(pseudoRandom(h * w * C, seed), (v) => Math.round(v * 127.5 - 0.5));
      const want = Array.from((await session.run([x])).outputs[0] ?? []);
      const got = Array.from(entry(await onnx.run({ x: new ort.Tensor('int8', x, [1, h, w, C]) }), 'y', 'ONNX outputs').data as Int8Array);
      expect(got.length).toBe(height * width * C);
      const apart = got.filter((v, i) => v !== want[i]).length;
      expect(apart, `seed ${seed}: ${apart} of ${got.length} values differ`).toBe(0);
      compared += got.length;
    }
    await onnx.release();
    expect(compared).toBe(3 * height * width * C);
    // and back to TFLite: the integer arithmetic converts as it is
    const back = await onnxToTflite(decodeOnnx(encodeOnnx(converted.model)));
    expect(back.unconvertible).toEqual([]);
    const again = await createTfliteSession(encodeTflite(back.model));
    sessions.push(again);
    const x = Int8Array.from(pseudoRandom(h * w * C, 9), (v) => Math.round(v * 127));
    const want = Array.from((await session.run([x])).outputs[0] ?? []);
    const roundTrip = Array.from((await again.run([x])).outputs[0] ?? []);
    expect(roundTrip.filter((v, i) => v !== want[i]).length).toBe(0);
  });
});
