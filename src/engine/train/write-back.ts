import { LitheError } from '../errors';
import type { Model } from '../ir/model';

/**
 * Writes trained values into the model's initializers of the same name (same graph, new
 * initializers); returns how many were replaced. Sizes must match: a mismatch is a bug, not data.
 */
export function applyWeights(model: Model, weights: ReadonlyMap<string, Float32Array>): number {
  let replaced = 0;
  for (const t of model.graph.initializers) {
    const w = weights.get(t.name);
    if (!w) continue;
    if (t.dtype !== 'float32' || t.elementCount !== w.length)
      throw new LitheError('internal', `the trained values of "${t.name}" do not fit its initializer (${t.dtype}[${t.dims.join(',')}])`);
    t.setBytes(new Uint8Array(w.slice().buffer));
    replaced++;
  }
  return replaced;
}
