// Sparsity said over the whole model, not only over the layers a step pruned: a scan that pruned
// 3 of 51 layers to 48.6 % leaves a model whose weights are 5.8 % zero.
import type { Model } from '../../ir/model';
import { readFloats } from '../weights/float-data';
import { weightLayers, type WeightLayer } from '../weights/weight-layers';
import { countZeros } from './magnitude';

/** Zero weights over all weights, for the whole model and for the layers a step pruned. */
export interface SparsityStats {
  /** Share of zeros among the weights of every weight layer of the model, in percent (one decimal). */
  sparsityPercent: number;
  /** The same over the pruned layers only. */
  prunedLayersSparsityPercent: number;
}

const percent = (zeros: number, total: number): number => Math.round((1000 * zeros) / Math.max(1, total)) / 10;

function zerosOf(layers: readonly WeightLayer[]): { zeros: number; weights: number } {
  let zeros = 0;
  let weights = 0;
  for (const l of layers) {
    zeros += countZeros(readFloats(l.tensor));
    weights += l.tensor.elementCount;
  }
  return { zeros, weights };
}

/** Sparsity of `model`'s weight layers and of the `pruned` ones among them. */
export function sparsityStats(model: Model, pruned: readonly WeightLayer[]): SparsityStats {
  const all = zerosOf(weightLayers(model));
  const some = zerosOf(pruned);
  return { sparsityPercent: percent(all.zeros, all.weights), prunedLayersSparsityPercent: percent(some.zeros, some.weights) };
}

/** The two figures in words: "5.8 % of the model's weights are zero (48.6 % in the 3 pruned layers of 51)." */
export function sparsityWords(stats: SparsityStats, prunedLayers: number, allLayers: number): string {
  const detail =
    prunedLayers === allLayers
      ? `all ${allLayers} layers pruned`
      : `${stats.prunedLayersSparsityPercent} % in the ${prunedLayers} pruned layer${prunedLayers === 1 ? '' : 's'} of ${allLayers}`;
  return `${stats.sparsityPercent} % of the model's weights are zero (${detail}).`;
}
