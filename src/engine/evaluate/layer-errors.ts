import type { LayerErrorSummary } from '../../contract/evaluate';
import type { DataSource } from '../data/batch';
import { decodeOnnx } from '../formats/onnx';
import { createOrtRunner } from '../verify/ort-runner';
import { exposeValues, sharedLayerOutputs } from './expose-values';
import { FidelityCounter } from './metrics';
import { runBatch } from './run-batch';

/** How far one layer's output moved in the candidate, measured on data. */
export type LayerError = LayerErrorSummary;

/**
 * Per-layer error of an ONNX candidate against its ONNX reference: both run with every shared
 * layer output exposed as a graph output (in copies), on the first `samples` samples of the data.
 * A layer whose output has another size in the candidate (channels removed) has no value-by-value error
 * and is left out. Sorted worst first.
 */
export async function layerErrors(
  reference: Uint8Array,
  candidate: Uint8Array,
  source: DataSource,
  options: { samples?: number; fixedBatch?: number } = {},
): Promise<LayerError[]> {
  const layers = sharedLayerOutputs(decodeOnnx(reference), decodeOnnx(candidate));
  if (!layers.length) return [];
  const names = layers.map((l) => l.name);
  const refRunner = await createOrtRunner(exposeValues(reference, names), { role: 'the reference model' });
  const candRunner = await createOrtRunner(exposeValues(candidate, names), { role: 'the candidate model' });
  const counters = layers.map(() => new FidelityCounter());
  try {
    const refIndex = new Map(refRunner.outputs.map((o, i) => [o.name, i]));
    const candIndex = new Map(candRunner.outputs.map((o, i) => [o.name, i]));
    for await (const batch of source.batches(Math.min(32, options.samples ?? 32), options.samples ?? 32)) {
      const a = await runBatch(refRunner, batch, source.sampleDims, options.fixedBatch);
      const b = await runBatch(candRunner, batch, source.sampleDims, options.fixedBatch);
      layers.forEach((layer, i) => {
        const ri = refIndex.get(layer.name);
        const ci = candIndex.get(layer.name);
        if (ri === undefined || ci === undefined || a.widths[ri] !== b.widths[ci]) return;
        // Whole sample per row: cosine over each sample's activation map.
        counters[i]!.add(a.values[ri]!, b.values[ci]!, a.widths[ri]!);
      });
    }
  } finally {
    await refRunner.dispose();
    await candRunner.dispose();
  }
  return layers
    .flatMap((layer, i) => {
      const f = counters[i]!.result();
      return f ? [{ ...layer, sqnrDb: f.sqnrDb, cosine: f.cosine }] : [];
    })
    .sort((x, y) => x.sqnrDb - y.sqnrDb);
}
