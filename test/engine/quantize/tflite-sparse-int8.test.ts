// The MediaPipe pattern of pose_detection: weights stored sparse and float16,
//   W (sparse f16) ─► DENSIFY ─► DEQUANTIZE ─► CONV_2D
// int8 used to leave every such layer in float ("weights computed at run time") and the file grew.
import { describe, expect, it } from 'vitest';
import { layoutFromShape } from '../../../src/engine/data/input-layout';
import { randomSource } from '../../../src/engine/data/random-source';
import ort from 'onnxruntime-node';
import { encodeOnnx } from '../../../src/engine/formats/onnx';
import { decodeTflite, encodeTflite, readTflite, tfliteToOnnx, writeTflite } from '../../../src/engine/formats/tflite';
import { createTfliteSession } from '../../../src/engine/runtime/tflite';
import { BuiltinOperator } from '../../../src/engine/formats/tflite/generated/tflite/builtin-operator';
import { BuiltinOptions } from '../../../src/engine/formats/tflite/generated/tflite/builtin-options';
import { Conv2DOptionsT } from '../../../src/engine/formats/tflite/generated/tflite/conv2doptions';
import type { TfliteModel } from '../../../src/engine/formats/tflite/tflite-model';
import { sparsifyWeights } from '../../../src/engine/compress/tflite/sparsify-weights';
import { weightLayers } from '../../../src/engine/compress/weights/weight-layers';
import { dynamicInt8 } from '../../../src/engine/quantize/dynamic-int8';
import { float16 } from '../../../src/engine/quantize/float16';
import { staticInt8 } from '../../../src/engine/quantize/static-int8';
import { tfliteCosine } from '../helpers/tflite-cosine';
import { at, entry } from '../../helpers/at';
import { bufferOf, builtinCode, operator, pseudoRandom, SENTINEL, singleGraphModel, tensor } from '../helpers/tflite-builders';

/** Weights with about three quarters zeros, as a pruned layer has. */
function prunedWeights(count: number, seed: number): Float32Array {
  return pseudoRandom(count, seed).map((v) => (Math.abs(v) < 0.75 ? 0 : v));
}

/** NHWC f32[1,6,6,32] → CONV_2D 3×3 (64 filters, RELU) → CONV_2D 1×1 (32 filters) → f32[1,6,6,32]. */
function twoConvModel(): TfliteModel {
  const conv = (): { builtinOptions: { type: number; table: Conv2DOptionsT; absentVectors: string[] } } => ({
    builtinOptions: { type: BuiltinOptions.Conv2DOptions, table: new Conv2DOptionsT(0, 1, 1, 1), absentVectors: [] },
  });
  return singleGraphModel({
    tensors: [
      tensor('image', [1, 6, 6, 32]),
      tensor('w1', [64, 3, 3, 32], undefined, { buffer: 1 }),
      tensor('b1', [64], undefined, { buffer: 2 }),
      tensor('h', [1, 6, 6, 64]),
      tensor('w2', [32, 1, 1, 64], undefined, { buffer: 3 }),
      tensor('b2', [32], undefined, { buffer: 4 }),
      tensor('y', [1, 6, 6, 32]),
    ],
    operators: [operator(0, [0, 1, 2], [3], conv()), operator(0, [3, 4, 5], [6], conv())],
    inputs: [0],
    outputs: [6],
    codes: [builtinCode(BuiltinOperator.CONV_2D)],
    buffers: [
      SENTINEL,
      bufferOf(prunedWeights(18432, 2)),
      bufferOf(pseudoRandom(64, 3)),
      bufferOf(prunedWeights(2048, 4)),
      bufferOf(pseudoRandom(32, 5)),
    ],
  });
}

/** The model with its weights stored float16 behind DEQUANTIZE, and sparse behind DENSIFY. */
async function sparseFloat16Model(): Promise<Uint8Array> {
  const model = decodeTflite(writeTflite(twoConvModel()));
  await float16.run(model, float16.options.parse({ minElements: 1 }), {});
  for (const layer of weightLayers(model)) sparsifyWeights(layer);
  return encodeTflite(model);
}

const opsOf = (bytes: Uint8Array): number[] => {
  const m = readTflite(bytes);
  return m.subgraphs[0]!.operators.map((o) => m.operatorCodes[o.opcodeIndex]!.builtinCode);
};

describe('int8 of TFLite weights stored sparse and float16', () => {
  it('full integer quantizes them and stores them sparse again as int8: smaller, and the runtime runs it', async () => {
    const bytes = await sparseFloat16Model();
    expect(opsOf(bytes).filter((c) => c === BuiltinOperator.DENSIFY)).toHaveLength(2);
    const model = decodeTflite(bytes);
    const data = randomSource(layoutFromShape('image', [1, 6, 6, 32]), 8, 4);
    const r = await staticInt8.run(model, staticInt8.options.parse({ samples: 8, io: 'float' }), { data });
    expect(r.stats.layersQuantized).toBe(2);
    expect(r.skipped ?? []).toEqual([]);
    const out = encodeTflite(model);
    const tensors = readTflite(out).subgraphs[0]!.tensors;
    const sparse = tensors.filter((t) => t.sparsity);
    expect(sparse.map((t) => t.type)).toEqual([9, 9]); // int8
    expect(sparse.every((t) => (t.quantization?.scale?.length ?? 0) > 1)).toBe(true); // per output channel
    expect(opsOf(out).filter((c) => c === BuiltinOperator.DEQUANTIZE)).toHaveLength(1); // the float output only
    expect(out.byteLength).toBeLessThan(bytes.byteLength);
    expect(await tfliteCosine(bytes, out)).toBeGreaterThan(0.98);
  }, 180_000);

  it.each(['integer', 'weights-only'] as const)(
    'dynamic-range int8 (%s) reads them too, and keeps them sparse',
    async (form) => {
      const bytes = await sparseFloat16Model();
      const model = decodeTflite(bytes);
      const r = await dynamicInt8.run(model, dynamicInt8.options.parse({ form }), {});
      expect(r.stats.layersQuantized).toBe(2);
      const out = encodeTflite(model);
      expect(
        readTflite(out)
          .subgraphs[0]!.tensors.filter((t) => t.sparsity)
          .map((t) => t.type),
      ).toEqual([9, 9]);
      expect(out.byteLength).toBeLessThan(bytes.byteLength);
      expect(await tfliteCosine(bytes, out)).toBeGreaterThan(0.99);
    },
    180_000,
  );

  it('converts to ONNX with the sparse int8 filters folded: QLinearConv, 0 steps from the TFLite runtime', async () => {
    const model = decodeTflite(await sparseFloat16Model());
    const data = randomSource(layoutFromShape('image', [1, 6, 6, 32]), 8, 4);
    await staticInt8.run(model, staticInt8.options.parse({ samples: 8, io: 'float' }), { data });
    const bytes = encodeTflite(model);
    const file = readTflite(bytes);
    const graph = file.subgraphs[0]!;
    expect(opsOf(bytes).filter((c) => c === BuiltinOperator.DENSIFY)).toHaveLength(2);
    // the output's quantization step: the int8 tensor the final DEQUANTIZE reads
    const dq = graph.operators.find((o) => file.operatorCodes[o.opcodeIndex]!.builtinCode === BuiltinOperator.DEQUANTIZE)!;
    const step = graph.tensors[dq.inputs[0]!]!.quantization!.scale![0]!;
    const result = tfliteToOnnx(decodeTflite(bytes));
    expect(result.unconvertible).toEqual([]);
    expect(result.model.graph.nodes.filter((n) => n.opType === 'QLinearConv')).toHaveLength(2);
    const feed = pseudoRandom(6 * 6 * 32, 7);
    const tfl = await createTfliteSession(bytes);
    const onnx = await ort.InferenceSession.create(encodeOnnx(result.model));
    try {
      const want = at((await tfl.run([feed])).outputs, 0);
      const info = at(tfl.outputs, 0);
      const got = await onnx.run({ [at(tfl.inputs, 0).name]: new ort.Tensor('float32', feed, [1, 6, 6, 32]) });
      const y = entry(got, info.name, 'ONNX outputs').data as Float32Array;
      let worst = 0;
      want.forEach((v, i) => (worst = Math.max(worst, Math.abs(Number(v) - at(y, i)) / step)));
      expect(worst).toBeLessThan(0.01); // 0 quantization steps apart
    } finally {
      await tfl.dispose();
      await onnx.release();
    }
  }, 180_000);
});
