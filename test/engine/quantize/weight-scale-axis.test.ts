// One weight scale per layer where it keeps the weights' SQNR, one per channel where it does not.
import { describe, expect, it } from 'vitest';
import { layoutFromShape } from '../../../src/engine/data/input-layout';
import { randomSource } from '../../../src/engine/data/random-source';
import { decodeTflite, encodeTflite, readTflite, writeTflite } from '../../../src/engine/formats/tflite';
import { weightScaleAxis, worstChannelSqnrDb } from '../../../src/engine/quantize/quant-math';
import { staticInt8 } from '../../../src/engine/quantize/static-int8';
import { pseudoRandom, smallCnnModel } from '../helpers/tflite-builders';
import { tfliteCosine } from '../helpers/tflite-cosine';

describe('weight scale axis by SQNR', () => {
  // [4, 16]: rows with the same range, and rows whose ranges span 1000×.
  const even = pseudoRandom(64, 3);
  const uneven = even.map((v, i) => v * 10 ** (Math.floor(i / 16) - 2));

  it('one scale where it keeps the SQNR, per channel where it does not', () => {
    expect(worstChannelSqnrDb(uneven, [4, 16], 0)).toBeLessThan(10);
    expect(worstChannelSqnrDb(even, [4, 16], 0)).toBeGreaterThan(35);
    expect(weightScaleAxis(even, [4, 16], 0, 35)).toBeUndefined();
    expect(weightScaleAxis(uneven, [4, 16], 0, 35)).toBe(0);
    expect(weightScaleAxis(uneven, [4, 16], 0, undefined)).toBe(0);
  });

  it('TFLite: every weight and bias of a model gets one scale at threshold 0, the file shrinks, the runtime runs it', async () => {
    const original = writeTflite(smallCnnModel());
    const quantize = async (options: Record<string, unknown>): Promise<Uint8Array> => {
      const model = decodeTflite(original);
      const data = randomSource(layoutFromShape('image', [1, 7, 6, 4]), 16, 4);
      await staticInt8.run(model, staticInt8.options.parse({ samples: 16, biasCorrection: true, ...options }), { data });
      return encodeTflite(model);
    };
    const perChannel = await quantize({});
    const oneScale = await quantize({ tflitePerTensorFromDb: 0 });
    const tensors = readTflite(oneScale).subgraphs[0]!.tensors;
    const stored = tensors.filter((t) => t.buffer > 0 && t.quantization?.scale);
    expect(stored.map((t) => t.name)).toEqual(expect.arrayContaining(['conv_w', 'dw_w', 'fc_w']));
    for (const t of stored) expect(t.quantization?.scale).toHaveLength(1);
    expect(oneScale.length).toBeLessThan(perChannel.length);
    expect(await tfliteCosine(original, oneScale)).toBeGreaterThan(0.9);
  }, 180_000);
});
