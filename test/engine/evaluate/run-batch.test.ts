import { describe, expect, it } from 'vitest';
import { runBatch } from '../../../src/engine/evaluate/run-batch';
import { decodeTflite, encodeTflite, writeTflite } from '../../../src/engine/formats/tflite';
import { staticInt8 } from '../../../src/engine/quantize/static-int8';
import { createTfliteRunner } from '../../../src/engine/verify/tflite-runner';
import { fullyConnectedModel } from '../helpers/tflite-builders';
import { syntheticData } from '../quantize/tiny-models';

describe('runBatch', () => {
  it('gives a full-integer TFLite model’s int8 outputs as real values (scale × (q − zero point))', async () => {
    const weights = Array.from({ length: 8 }, (_, i) => [(i - 3.5) / 2]);
    const bias = Array.from({ length: 8 }, (_, i) => i / 10);
    const float = writeTflite(fullyConnectedModel(weights, bias));
    const model = decodeTflite(float);
    await staticInt8.run(model, staticInt8.options.parse({ io: 'int8' }), {});
    const a = await createTfliteRunner(float, { role: 'float' });
    const b = await createTfliteRunner(encodeTflite(model), { role: 'int8' });
    try {
      expect(b.outputs[0]?.dtype).toBe('int8');
      const { value: batch } = await syntheticData([1], 4).batches(4).next();
      if (!batch) throw new Error('no batch');
      const ref = await runBatch(a, batch, [1], 1);
      const got = await runBatch(b, batch, [1], 1);
      expect(got.widths).toEqual([8]);
      // relu(x·w + b) with x in [0, 1): values in [0, 1.6]; raw int8 codes would be near −128.
      for (const [i, value] of ref.values[0]!.entries()) expect(Math.abs(got.values[0]![i]! - value)).toBeLessThan(0.02);
    } finally {
      await a.dispose();
      await b.dispose();
    }
  }, 60_000);
});
