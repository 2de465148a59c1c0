import { z } from 'zod';
import { LitheError } from '../../errors';
import type { Model } from '../../ir/model';
import { layerMatches, weightLayers, type WeightLayer } from '../weights/weight-layers';

/** Options every weight-compression pass shares: which layers it leaves alone. */
export const layerSelection = {
  exclude: z
    .array(z.string())
    .default([])
    .describe('Layers to leave as they are: node, output or weight names, or a part of one (e.g. "fc1").'),
  minWeights: z.number().int().min(0).default(0).describe('Leave layers with fewer weights than this as they are.'),
};

/** A fidelity target: accuracy drop in points, or the lowest top-1 agreement or cosine. */
export const targetOption = z
  .object({ metric: z.enum(['accuracy', 'top1Agreement', 'cosine']), value: z.number().min(0) })
  .optional()
  .describe(
    'What automatic choices must keep (default: accuracy within 1 point with labelled data, else 99 % top-1 agreement, else cosine 0.99).',
  );

/** The layers a pass works on, after `exclude` and `minWeights`; refuses exclusion keys that name no layer. */
export function selectLayers(model: Model, options: { exclude: string[]; minWeights: number }): WeightLayer[] {
  const all = weightLayers(model);
  checkKeys(all, options.exclude, 'exclude');
  return all.filter((l) => l.tensor.elementCount >= options.minWeights && !options.exclude.some((key) => layerMatches(l, key)));
}

/** Fails with the list of layer names when a key of a per-layer table matches no layer. */
export function checkKeys(layers: WeightLayer[], keys: string[], option: string): void {
  const unknown = keys.filter((key) => !layers.some((l) => layerMatches(l, key)));
  if (unknown.length === 0) return;
  const names = layers.map((l) => l.name).slice(0, 30);
  throw new LitheError(
    'invalid-argument',
    `${option}: ${unknown.map((k) => `"${k}"`).join(', ')} names no layer with weights; the layers are ${names.join(', ')}${layers.length > 30 ? ', …' : ''}`,
  );
}

/** The value for `layer` in a per-layer table (first matching key), else `fallback`. */
export function perLayer<T>(layer: WeightLayer, table: Record<string, T>, fallback: T): T {
  const key = Object.keys(table).find((k) => layerMatches(layer, k));
  return key === undefined ? fallback : (table[key] as T);
}
