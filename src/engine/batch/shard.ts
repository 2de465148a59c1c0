import { createHash } from 'node:crypto';
import { LitheError } from '../errors';

/** One of N deterministic parts of a batch (1-based `index`). */
export interface Shard {
  index: number;
  count: number;
}

/** Parses `I/N` (1 ≤ I ≤ N). */
export function parseShard(text: string): Shard {
  const match = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = match ? Number(match[1]) : NaN;
  const count = match ? Number(match[2]) : NaN;
  if (!match || count < 1 || index < 1 || index > count)
    throw new LitheError('invalid-argument', `--shard must look like I/N with 1 ≤ I ≤ N (e.g. 1/4), not "${text}".`);
  return { index, count };
}

/**
 * The models that belong to `shard`: each path goes to the shard picked by a hash of the path, so
 * every machine computes the same split without talking to the others, and adding a model does not
 * move the others between shards.
 */
export function pickShard(paths: readonly string[], shard: Shard): string[] {
  return paths.filter((path) => shardOf(path, shard.count) === shard.index);
}

/** The 1-based shard a path falls into. */
export function shardOf(path: string, count: number): number {
  const digest = createHash('sha256').update(path.replaceAll('\\', '/')).digest();
  return (digest.readUInt32BE(0) % count) + 1;
}
