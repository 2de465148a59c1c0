// Rates for a whole-model sparsity target from one magnitude threshold over all layers (global magnitude pruning):
//   threshold t such that a share `sparsity` of all weights has |w| < t,
//   rate(layer) = share of the layer's weights with |w| < t (at most `maxRate`)
// Layers with a large fan-in have small weights and are usually the most redundant (the fully connected
// ones): they lose the most, convolutions with few inputs the least, as in Deep Compression.
import { readFloats } from '../weights/float-data';
import type { WeightLayer } from '../weights/weight-layers';

/** Per-layer rates that prune `sparsity` of the layers' weights in total. */
export function globalRates(layers: WeightLayer[], sparsity: number, maxRate = 0.98): Map<WeightLayer, number> {
  const scored = layers.map((layer) => {
    return { layer, scores: Float32Array.from(readFloats(layer.tensor), Math.abs).sort() };
  });
  const all = new Float32Array(scored.reduce((n, s) => n + s.scores.length, 0));
  let at = 0;
  for (const s of scored) {
    all.set(s.scores, at);
    at += s.scores.length;
  }
  all.sort();
  const threshold = all[Math.min(all.length - 1, Math.floor(sparsity * all.length))] ?? 0;
  const rates = new Map<WeightLayer, number>();
  for (const { layer, scores } of scored) {
    let below = 0;
    while (below < scores.length && (scores[below] as number) < threshold) below++;
    rates.set(layer, Math.min(maxRate, below / Math.max(1, scores.length)));
  }
  return rates;
}
