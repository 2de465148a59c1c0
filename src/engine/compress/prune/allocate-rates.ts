// Rates for a whole-model sparsity target, spread by measured sensitivity:
//   1. each layer alone is pruned at every rate of RATE_GRID (stopping once it alone breaks the model) and
//      its cost c(layer, rate) = margin(original) − margin(pruned) is measured on the probe's samples;
//   2. costs are treated as additive: starting from no pruning, the step (one grid rate up for one layer)
//      with the lowest cost per weight removed is taken, again and again, until the share of zero weights
//      over all layers reaches the target;
//   3. the spread is measured with all layers pruned together and kept only if it beats the same rate in
//      every layer (costs are not exactly additive, and on layers that all matter alike uniform can win).
// Layers that lose little (wide pointwise and fully connected ones) take most of the zeros, sensitive
// ones (the first convolution, depthwise filters, heads) keep theirs.
import type { EngineContext } from '../../context';
import { throwIfCancelled } from '../../errors';
import type { Model } from '../../ir/model';
import { readFloats, writeFloats } from '../weights/float-data';
import type { WeightLayer } from '../weights/weight-layers';
import { applyRate, RATE_GRID } from './choose-rates';
import type { FidelityProbe, FidelityTarget } from './fidelity-probe';

/** A layer alone below this margin under the target counts as broken: higher rates are not tried. */
const BROKEN_MARGIN = -0.5;

/** Layers holding less than this share of all the weights are not scanned and keep theirs: they add few zeros. */
const SCAN_SHARE = 0.005;

/** Per-layer rates whose zeros add up to `sparsity` of all the layers' weights, and what the scan cost. */
export interface AllocatedRates {
  rates: Map<WeightLayer, number>;
  /** Share of all the layers' weights the rates set to zero (below `sparsity` when the layers cannot take it). */
  reached: number;
  evaluations: number;
  /** True when the measured spread lost to the same rate in every layer, which was kept instead. */
  uniform: boolean;
}

/** Cost of each grid rate for one layer alone (Infinity from the first rate that breaks the model). */
async function costCurve(
  model: Model,
  layer: WeightLayer,
  original: Float32Array,
  probe: FidelityProbe,
  target: FidelityTarget,
  base: number,
  ctx: EngineContext,
): Promise<{ costs: number[]; runs: number }> {
  const costs = [0];
  let runs = 0;
  let worst = 0;
  for (const rate of RATE_GRID.slice(1)) {
    throwIfCancelled(ctx.signal);
    applyRate(layer, original, rate);
    const margin = await probe.margin(model, target, ctx);
    runs++;
    // A larger rate never costs less than a smaller one (noise in the probe aside).
    worst = margin < BROKEN_MARGIN ? Infinity : Math.max(worst, base - margin);
    costs.push(worst);
    if (worst === Infinity) break;
  }
  while (costs.length < RATE_GRID.length) costs.push(Infinity);
  applyRate(layer, original, 0);
  return { costs, runs };
}

/**
 * Chooses per-layer rates of {@link RATE_GRID} that together zero `sparsity` of the layers' weights at
 * the lowest measured cost for `target`. Leaves the model's weights as they were.
 */
export async function allocateRates(
  model: Model,
  layers: WeightLayer[],
  probe: FidelityProbe,
  target: FidelityTarget,
  sparsity: number,
  ctx: EngineContext = {},
): Promise<AllocatedRates> {
  const originals = new Map(layers.map((l) => [l, readFloats(l.tensor)]));
  const base = await probe.margin(model, target, ctx);
  let evaluations = 1;
  const curves = new Map<WeightLayer, number[]>();
  const total = layers.reduce((n, l) => n + l.tensor.elementCount, 0);
  const scanned = layers.filter((l) => l.tensor.elementCount >= SCAN_SHARE * total);
  for (const layer of layers) curves.set(layer, [0]);
  for (const [n, layer] of scanned.entries()) {
    ctx.onProgress?.({ stage: 'optimize', fraction: n / scanned.length, message: `Sensitivity of ${layer.name}` });
    const { costs, runs } = await costCurve(model, layer, originals.get(layer) as Float32Array, probe, target, base, ctx);
    evaluations += runs;
    curves.set(layer, costs);
  }
  const spread = spendZeros(layers, curves, sparsity);
  const together = async (rateOf: (l: WeightLayer) => number): Promise<number> => {
    for (const l of layers) applyRate(l, originals.get(l) as Float32Array, rateOf(l));
    evaluations++;
    return probe.margin(model, target, ctx);
  };
  const spreadMargin = await together((l) => spread.rates.get(l) ?? 0);
  const uniformMargin = spread.reached + 1e-9 >= sparsity ? await together(() => sparsity) : -Infinity;
  for (const layer of layers) writeFloats(layer.tensor, originals.get(layer) as Float32Array);
  if (uniformMargin > spreadMargin)
    return { rates: new Map(layers.map((l) => [l, sparsity])), reached: sparsity, evaluations, uniform: true };
  return { ...spread, evaluations, uniform: false };
}

/** The greedy allocation of step 2 over measured cost curves (exported for tests). */
export function spendZeros(
  layers: WeightLayer[],
  curves: ReadonlyMap<WeightLayer, readonly number[]>,
  sparsity: number,
): { rates: Map<WeightLayer, number>; reached: number } {
  const total = layers.reduce((n, l) => n + l.tensor.elementCount, 0);
  const index = new Map(layers.map((l) => [l, 0]));
  let zeros = 0;
  while (zeros < sparsity * total) {
    let best: { layer: WeightLayer; price: number; gain: number } | undefined;
    for (const layer of layers) {
      const at = index.get(layer) ?? 0;
      const curve = curves.get(layer) ?? [];
      const next = RATE_GRID[at + 1];
      const [now, then] = [curve[at] ?? Infinity, curve[at + 1] ?? Infinity];
      if (next === undefined || then === Infinity) continue;
      const gain = (next - (RATE_GRID[at] as number)) * layer.tensor.elementCount;
      const price = (then - now) / gain;
      if (!best || price < best.price) best = { layer, price, gain };
    }
    if (!best) break;
    index.set(best.layer, (index.get(best.layer) ?? 0) + 1);
    zeros += best.gain;
  }
  return { rates: new Map(layers.map((l) => [l, RATE_GRID[index.get(l) ?? 0] as number])), reached: total ? zeros / total : 0 };
}
