import { createHash } from 'node:crypto';
import type { BatchShard } from '../../contract/runs';

/**
 * The models that belong to `shard`: each path goes to the shard picked by a hash of the path, so
 * every machine computes the same split without talking to the others, and adding a model does not
 * move the others between shards.
 */
export function pickShard(paths: readonly string[], shard: BatchShard): string[] {
  return paths.filter((path) => shardOf(path, shard.count) === shard.index);
}

/** The 1-based shard a path falls into. */
export function shardOf(path: string, count: number): number {
  const digest = createHash('sha256').update(path.replaceAll('\\', '/')).digest();
  return (digest.readUInt32BE(0) % count) + 1;
}
