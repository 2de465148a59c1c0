import type { EngineContext } from '../../context';
import { throwIfCancelled } from '../../errors';
import type { Model } from '../../ir/model';
import { readFloats, writeFloats } from '../weights/float-data';
import type { WeightLayer } from '../weights/weight-layers';
import { stricterTarget, type FidelityProbe, type FidelityTarget } from './fidelity-probe';
import { pruneByMagnitude } from './magnitude';

/** Sparsities the scan tries, in increasing order. */
export const RATE_GRID = [0, 0.3, 0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.93, 0.95, 0.97, 0.98];

/** One layer of the scan: the rate it can take alone and the weights it keeps at that rate. */
export interface LayerScan {
  layer: WeightLayer;
  rate: number;
}

/** Sets `layer`'s weights to `original` pruned at `rate` (0: the original). */
export function applyRate(layer: WeightLayer, original: Float32Array, rate: number): void {
  const values = Float32Array.from(original);
  if (rate > 0) pruneByMagnitude(values, rate);
  writeFloats(layer.tensor, values);
}

/**
 * Chooses a sparsity per layer: for each layer alone, the highest rate of {@link RATE_GRID} that keeps
 * a stricter `target` (binary search); then all layers together, stepping every rate down one grid
 * step until the whole model meets `target`. Leaves the model's weights as they were.
 */
export async function chooseRates(
  model: Model,
  layers: WeightLayer[],
  probe: FidelityProbe,
  target: FidelityTarget,
  ctx: EngineContext = {},
): Promise<{ rates: Map<WeightLayer, number>; margin: number; evaluations: number }> {
  const originals = new Map(layers.map((l) => [l, readFloats(l.tensor)]));
  const alone = stricterTarget(target);
  const index = new Map<WeightLayer, number>();
  let evaluations = 0;
  for (const [n, layer] of layers.entries()) {
    throwIfCancelled(ctx.signal);
    ctx.onProgress?.({ stage: 'optimize', fraction: n / layers.length, message: `Sensitivity of ${layer.name}` });
    const original = originals.get(layer) as Float32Array;
    let low = 0;
    let high = RATE_GRID.length - 1;
    while (low < high) {
      const mid = Math.ceil((low + high) / 2);
      applyRate(layer, original, RATE_GRID[mid] as number);
      evaluations++;
      if ((await probe.margin(model, alone, ctx)) >= 0) low = mid;
      else high = mid - 1;
    }
    applyRate(layer, original, 0);
    index.set(layer, low);
  }
  let margin: number;
  for (;;) {
    for (const layer of layers) applyRate(layer, originals.get(layer) as Float32Array, RATE_GRID[index.get(layer) ?? 0] as number);
    evaluations++;
    margin = await probe.margin(model, target, ctx);
    if (margin >= 0 || layers.every((l) => (index.get(l) ?? 0) === 0)) break;
    for (const layer of layers) index.set(layer, Math.max(0, (index.get(layer) ?? 0) - 1));
  }
  for (const layer of layers) writeFloats(layer.tensor, originals.get(layer) as Float32Array);
  return { rates: new Map(layers.map((l) => [l, RATE_GRID[index.get(l) ?? 0] as number])), margin, evaluations };
}
