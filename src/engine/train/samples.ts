import type { EngineContext } from '../context';
import type { DataSource } from '../data/batch';
import { LitheError, throwIfCancelled } from '../errors';

/** A data set held in memory for shuffled batches: `count` samples of `size` values each. */
export interface Samples {
  description: string;
  data: Float32Array;
  labels?: Int32Array;
  count: number;
  sampleDims: number[];
  size: number;
}

/** Training data is kept in memory up to this many bytes by default. */
export const DEFAULT_MEMORY_BUDGET = 2 * 1024 ** 3;

/**
 * Reads a data source into memory (shuffling needs every sample at hand). Stops with a clear error
 * when the samples would exceed `budget` bytes, before allocating them.
 */
export async function loadSamples(
  source: DataSource,
  options: { limit?: number; budget?: number } = {},
  ctx: EngineContext = {},
): Promise<Samples> {
  const size = source.sampleDims.reduce((a, b) => a * b, 1);
  const total = Math.min(source.count ?? Infinity, options.limit ?? Infinity);
  const budget = options.budget ?? DEFAULT_MEMORY_BUDGET;
  if (Number.isFinite(total) && total * size * 4 > budget)
    throw new LitheError(
      'unsupported',
      `The data holds ${total} samples of ${size} values (${((total * size * 4) / 1024 ** 3).toFixed(1)} GB as float32); ` +
        `Lithe keeps training data in memory up to ${(budget / 1024 ** 3).toFixed(1)} GB. Use fewer samples (--limit) or smaller inputs.`,
    );
  const chunks: Float32Array[] = [];
  const labelChunks: Int32Array[] = [];
  let count = 0;
  for await (const batch of source.batches(1024, Number.isFinite(total) ? total : undefined)) {
    throwIfCancelled(ctx.signal);
    chunks.push(batch.data.slice(0, batch.count * size));
    if (batch.labels) labelChunks.push(batch.labels.slice(0, batch.count));
    count += batch.count;
    if (count * size * 4 > budget)
      throw new LitheError(
        'unsupported',
        `The data is larger than the ${(budget / 1024 ** 3).toFixed(1)} GB Lithe keeps in memory for training.`,
      );
    ctx.onProgress?.({ stage: 'data', fraction: Number.isFinite(total) ? count / total : 0, message: `Reading data: ${count} samples` });
  }
  if (count === 0) throw new LitheError('invalid-argument', `The data (${source.description}) holds no samples.`);
  const data = new Float32Array(count * size);
  let at = 0;
  for (const c of chunks) {
    data.set(c, at);
    at += c.length;
  }
  const labels = labelChunks.length ? concatLabels(labelChunks, count) : undefined;
  const description = source.count !== undefined && count < source.count ? `${source.description}, first ${count}` : source.description;
  return { description, data, ...(labels ? { labels } : {}), count, sampleDims: [...source.sampleDims], size };
}

function concatLabels(chunks: Int32Array[], count: number): Int32Array {
  const out = new Int32Array(count);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/** Splits off the last `fraction` of a shuffled order as held-out validation samples. */
export function holdOut(samples: Samples, fraction: number, random: () => number): { train: Samples; validation: Samples } {
  const order = permutation(samples.count, random);
  const held = Math.max(1, Math.min(samples.count - 1, Math.round(samples.count * fraction)));
  const pick = (indices: Int32Array, what: string): Samples => {
    const data = new Float32Array(indices.length * samples.size);
    indices.forEach((index, i) => data.set(samples.data.subarray(index * samples.size, (index + 1) * samples.size), i * samples.size));
    const labels = samples.labels ? Int32Array.from(indices, (index) => samples.labels![index]!) : undefined;
    return { ...samples, description: `${samples.description} (${what})`, data, count: indices.length, ...(labels ? { labels } : {}) };
  };
  return {
    train: pick(order.subarray(0, samples.count - held), `${samples.count - held} for training`),
    validation: pick(order.subarray(samples.count - held), `${held} held out for validation`),
  };
}

/** A random permutation of 0 … n−1 (Fisher–Yates). */
export function permutation(n: number, random: () => number): Int32Array {
  const order = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const t = order[i]!;
    order[i] = order[j]!;
    order[j] = t;
  }
  return order;
}

/** Copies the samples at `indices` into a batch buffer (and their labels as int64). */
export function gatherBatch(samples: Samples, indices: ArrayLike<number>, data: Float32Array, labels?: BigInt64Array): void {
  for (let i = 0; i < indices.length; i++) {
    const index = indices[i]!;
    data.set(samples.data.subarray(index * samples.size, (index + 1) * samples.size), i * samples.size);
    if (labels && samples.labels) labels[i] = BigInt(samples.labels[index]!);
  }
}

/** The same samples without their labels (for learning or choosing from a teacher alone). */
export function withoutLabels(samples: Samples): Samples {
  const { labels: _unused, ...rest } = samples;
  return rest;
}
