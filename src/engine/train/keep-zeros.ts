import type { Graph } from '../ir/graph';

/**
 * Where the trainable weights are exactly zero, for weights with at least `minShare` of zeros (a
 * pruned layer): indices per initializer name. Fine-tuning puts these back to zero before every
 * step, so retraining a pruned model keeps it pruned.
 */
export function zeroMasks(graph: Graph, trainable: ReadonlySet<string>, minShare = 0.01): Map<string, Int32Array> {
  const masks = new Map<string, Int32Array>();
  for (const t of graph.initializers) {
    if (!trainable.has(t.name) || t.dtype !== 'float32' || t.elementCount < 2) continue;
    const w = t.toTypedArray() as Float32Array;
    const zeros: number[] = [];
    for (let i = 0; i < w.length; i++) if (w[i] === 0) zeros.push(i);
    if (zeros.length >= minShare * w.length) masks.set(t.name, Int32Array.from(zeros));
  }
  return masks;
}

/** Sets the masked weights back to zero, in place. */
export function applyZeroMasks(masks: ReadonlyMap<string, Int32Array>, weights: ReadonlyMap<string, Float32Array>): void {
  for (const [name, zeros] of masks) {
    const w = weights.get(name);
    if (w) for (const i of zeros) w[i] = 0;
  }
}
