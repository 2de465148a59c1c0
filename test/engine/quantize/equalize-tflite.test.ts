// Cross-layer equalization on a built TFLite model in the MediaPipe pattern: float16 weights behind
// DEQUANTIZE, the pointwise filter stored sparse, DEPTHWISE_CONV_2D (no activation) → CONV_2D.
import { describe, expect, it } from 'vitest';
import { sparsifyWeights } from '../../../src/engine/compress/tflite/sparsify-weights';
import { weightLayers } from '../../../src/engine/compress/weights/weight-layers';
import { layoutFromShape } from '../../../src/engine/data/input-layout';
import { randomSource } from '../../../src/engine/data/random-source';
import { decodeTflite, encodeTflite, readTflite, writeTflite } from '../../../src/engine/formats/tflite';
import { BuiltinOperator } from '../../../src/engine/formats/tflite/generated/tflite/builtin-operator';
import { BuiltinOptions } from '../../../src/engine/formats/tflite/generated/tflite/builtin-options';
import { Conv2DOptionsT } from '../../../src/engine/formats/tflite/generated/tflite/conv2doptions';
import { DepthwiseConv2DOptionsT } from '../../../src/engine/formats/tflite/generated/tflite/depthwise-conv2doptions';
import { Padding } from '../../../src/engine/formats/tflite/generated/tflite/padding';
import { equalizeChannels } from '../../../src/engine/quantize/equalize/equalize-pass';
import { float16 } from '../../../src/engine/quantize/float16';
import { staticInt8 } from '../../../src/engine/quantize/static-int8';
import { tfliteCosine } from '../helpers/tflite-cosine';
import { bufferOf, builtinCode, operator, pseudoRandom, SENTINEL, singleGraphModel, tensor } from '../helpers/tflite-builders';

/** f32[1,8,8,16] → DEPTHWISE 3×3 (channels ×10ᶜ⁾⁴ / 100) → CONV_2D 1×1 (64, RELU, columns the other way, pruned). */
function depthwisePointwise(): Uint8Array {
  const wide = (c: number): number => 10 ** (c % 4) / 100;
  const dw = pseudoRandom(9 * 16, 2).map((v, e) => v * wide(e % 16));
  const pw = pseudoRandom(64 * 16, 4).map((v, e) => (Math.abs(v) < 0.75 ? 0 : v / wide(e % 16) / 100));
  const file = singleGraphModel({
    tensors: [
      tensor('image', [1, 8, 8, 16]),
      tensor('dw_w', [1, 3, 3, 16], undefined, { buffer: 1 }),
      tensor('dw_b', [16], undefined, { buffer: 2 }),
      tensor('h', [1, 8, 8, 16]),
      tensor('pw_w', [64, 1, 1, 16], undefined, { buffer: 3 }),
      tensor('pw_b', [64], undefined, { buffer: 4 }),
      tensor('y', [1, 8, 8, 64]),
    ],
    operators: [
      operator(0, [0, 1, 2], [3], {
        builtinOptions: {
          type: BuiltinOptions.DepthwiseConv2DOptions,
          table: new DepthwiseConv2DOptionsT(Padding.SAME, 1, 1, 1, 0),
          absentVectors: [],
        },
      }),
      operator(1, [3, 4, 5], [6], {
        builtinOptions: { type: BuiltinOptions.Conv2DOptions, table: new Conv2DOptionsT(Padding.SAME, 1, 1, 1), absentVectors: [] },
      }),
    ],
    inputs: [0],
    outputs: [6],
    codes: [builtinCode(BuiltinOperator.DEPTHWISE_CONV_2D), builtinCode(BuiltinOperator.CONV_2D)],
    buffers: [SENTINEL, bufferOf(dw), bufferOf(pseudoRandom(16, 3)), bufferOf(pw), bufferOf(pseudoRandom(64, 5))],
  });
  return writeTflite(file);
}

async function mediapipeStyle(): Promise<Uint8Array> {
  const model = decodeTflite(depthwisePointwise());
  await float16.run(model, float16.options.parse({ minElements: 1 }), {});
  for (const layer of weightLayers(model)) if (layer.opType === 'CONV_2D') sparsifyWeights(layer);
  return encodeTflite(model);
}

const sparseTensors = (bytes: Uint8Array): number => readTflite(bytes).subgraphs[0]!.tensors.filter((t) => t.sparsity).length;

describe('equalize-channels on TFLite', () => {
  it('reads float16 and sparse weights, keeps the sparse one sparse, and the TFLite runtime gives the same outputs', async () => {
    const bytes = await mediapipeStyle();
    expect(sparseTensors(bytes)).toBe(1);
    const model = decodeTflite(bytes);
    const r = await equalizeChannels.run(model, equalizeChannels.options.parse({}), {});
    expect(r.stats).toEqual({ layerPairs: 1, layersRescaled: 2 });
    const out = encodeTflite(model);
    expect(sparseTensors(out)).toBe(1);
    expect(await tfliteCosine(bytes, out)).toBeGreaterThan(0.999999);
  }, 120_000);

  it('per-tensor int8 of the equalized model is closer to the original', async () => {
    const bytes = await mediapipeStyle();
    const data = randomSource(layoutFromShape('image', [1, 8, 8, 16]), 8, 4);
    const int8 = async (equalize: boolean): Promise<number> => {
      const model = decodeTflite(bytes);
      if (equalize) await equalizeChannels.run(model, equalizeChannels.options.parse({}), {});
      await staticInt8.run(model, staticInt8.options.parse({ samples: 8, io: 'float', perChannel: false }), { data });
      return (await tfliteCosine(bytes, encodeTflite(model))) ?? 0;
    };
    const plain = await int8(false);
    const equalized = await int8(true);
    expect(1 - equalized).toBeLessThan((1 - plain) / 3);
  }, 180_000);
});
