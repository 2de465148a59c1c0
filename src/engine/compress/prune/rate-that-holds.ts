// When the rates a user asked for break the model: the highest cap on them that still keeps it.
//
//   measured:  every layer at its asked rate r(l)        → worst output cosine c < floor (the step will be undone)
//   search:    every layer at min(r(l), g), g ∈ RATE_GRID → the largest g whose cosine ≥ floor (binary search)
//
// One probe when the asked rates hold; about log2(|RATE_GRID|) more when they do not.
import type { EngineContext } from '../../context';
import type { Model } from '../../ir/model';
import { worstCosine } from '../../quantize/mixed-search';
import type { WeightLayer } from '../weights/weight-layers';
import { applyRate, RATE_GRID } from './choose-rates';
import type { FidelityProbe } from './fidelity-probe';

/** What the asked rates do to the outputs and, when they break the model, the highest cap that does not. */
export interface RateCheck {
  /** Worst output cosine with the asked rates. */
  cosine: number;
  /** When `cosine` is below the floor: the highest grid rate that, as a cap on every layer, keeps the floor (0: none does). */
  holds?: { rate: number; cosine: number };
}

/**
 * Measures `model` as pruned now (every layer of `asked` at its rate, from `originals`) against the probe's
 * reference and, when the worst output cosine is below `floor`, searches the cap. Leaves the model pruned at the
 * asked rates.
 */
export async function checkAskedRates(
  model: Model,
  asked: ReadonlyMap<WeightLayer, { rate: number; original: Float32Array }>,
  probe: FidelityProbe,
  floor: number,
  ctx: EngineContext = {},
): Promise<RateCheck> {
  const cosine = worstCosine(await probe.measure(model, ctx));
  if (cosine >= floor) return { cosine };
  const top = Math.max(...[...asked.values()].map((a) => a.rate));
  const grid = RATE_GRID.filter((g) => g > 0 && g < top);
  let low = -1;
  let high = grid.length - 1;
  let best = { rate: 0, cosine: 1 };
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    const cap = grid[mid]!;
    for (const [layer, { rate, original }] of asked) applyRate(layer, original, Math.min(rate, cap));
    const capped = worstCosine(await probe.measure(model, ctx));
    if (capped >= floor) {
      low = mid;
      best = { rate: cap, cosine: capped };
    } else high = mid - 1;
  }
  for (const [layer, { rate, original }] of asked) applyRate(layer, original, rate);
  return { cosine, holds: best };
}
