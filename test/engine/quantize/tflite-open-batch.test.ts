import { describe, expect, it } from 'vitest';
import { compareOnData } from '../../../src/engine/evaluate/compare-on-data';
import { decodeTflite, encodeTflite, readTflite, writeTflite } from '../../../src/engine/formats/tflite';
import { mixedPrecision } from '../../../src/engine/quantize/mixed-precision';
import { staticInt8 } from '../../../src/engine/quantize/static-int8';
import { createTfliteRunner } from '../../../src/engine/verify/tflite-runner';
import { fullyConnectedModel } from '../helpers/tflite-builders';
import { syntheticData } from './tiny-models';

/**
 * float32[1, 1] → FULLY_CONNECTED → float32[1, 8], stored with batch 1 but a shape signature of [-1, 1] (as the
 * TFLite converter writes a Keras model's open batch). The TFLite runtime runs it at the stored shape only.
 */
function openBatchModel(): Uint8Array {
  const model = fullyConnectedModel(
    Array.from({ length: 8 }, (_, i) => [(i - 3.5) / 2]),
    Array.from({ length: 8 }, (_, i) => i / 10),
  );
  const [x, , , y] = model.subgraphs[0]!.tensors;
  x!.shapeSignature = [-1, 1];
  y!.shapeSignature = [-1, 8];
  return writeTflite(model);
}

describe('a TFLite model with an open batch in its signature and a stored batch of 1', () => {
  it('compares 32 samples one run at a time (the runtime takes one row)', async () => {
    const bytes = openBatchModel();
    const a = await createTfliteRunner(bytes, { role: 'reference' });
    const b = await createTfliteRunner(bytes, { role: 'candidate' });
    try {
      expect(a.fixedBatch).toBe(1);
      const result = await compareOnData({ runner: b }, { runner: a }, syntheticData([1], 32), { batchSize: 32 });
      expect(result.samples).toBe(32);
      expect(result.fidelity?.cosine).toBe(1);
    } finally {
      await a.dispose();
      await b.dispose();
    }
  }, 60_000);

  it('static int8 calibrates on 32 generated samples and quantizes the layer', async () => {
    const model = decodeTflite(openBatchModel());
    const r = await staticInt8.run(model, staticInt8.options.parse({}), {});
    expect(r.changed).toBe(true);
    expect(r.stats.layersQuantized).toBe(1);
  }, 60_000);

  it('mixed precision calibrates and scores its candidates on the same samples', async () => {
    const model = decodeTflite(openBatchModel());
    const r = await mixedPrecision.run(model, mixedPrecision.options.parse({ metric: 'cosine', target: 0.9, evalSamples: 32 }), {});
    expect(r.changed).toBe(true);
    const tensors = readTflite(encodeTflite(model)).subgraphs[0]!.tensors;
    expect(tensors.filter((t) => t.type === 9).length).toBeGreaterThan(0);
  }, 120_000);
});
