// What fine-tuning must keep of a compressed layer: its zeros (pruning) and its shared values (clustering).
//   mask:    w_i = 0 for every pruned i, after every step
//   shared:  w_i = c_k for every i in cluster k, with c_k the mean of the cluster's weights after the
//            step — each centroid moves by the mean of its members' updates (weight sharing)
import { roundToHalf } from '../weights/float-data';

/** The zeros and clusters of one weight tensor. */
export interface WeightStructure {
  name: string;
  /** 1 where the weight is kept, 0 where it was pruned (absent: nothing pruned). */
  keep: Uint8Array | undefined;
  /** Cluster of each weight, −1 outside any cluster (absent: not clustered). */
  cluster: Int32Array | undefined;
  clusters: number;
}

/** Largest number of distinct non-zero values for a tensor to count as clustered. */
export const SHARED_LIMIT = 4096;

/** Reads the structure of `values`: pruned when ≥ 1 % are zero, clustered when few distinct non-zero values remain. */
export function structureOf(name: string, values: Float32Array): WeightStructure {
  let zeros = 0;
  const distinct = new Map<number, number>();
  for (const v of values) {
    if (v === 0) zeros++;
    else if (distinct.size <= SHARED_LIMIT && !distinct.has(v)) distinct.set(v, distinct.size);
  }
  const keep = zeros >= values.length / 100 ? Uint8Array.from(values, (v) => (v === 0 ? 0 : 1)) : undefined;
  const clustered = distinct.size <= SHARED_LIMIT && distinct.size * 4 <= values.length - zeros;
  const cluster = clustered ? Int32Array.from(values, (v) => (v === 0 ? -1 : (distinct.get(v) as number))) : undefined;
  return { name, keep, cluster, clusters: clustered ? distinct.size : 0 };
}

/** Puts `values` back into `structure`, in place: pruned weights to zero, each cluster to its mean (float16 when `half`). */
export function project(values: Float32Array, structure: WeightStructure, half = false): void {
  const { keep, cluster, clusters } = structure;
  if (cluster) {
    const sums = new Float64Array(clusters);
    const counts = new Uint32Array(clusters);
    for (let i = 0; i < values.length; i++) {
      const k = cluster[i] as number;
      if (k < 0) continue;
      sums[k] = (sums[k] as number) + (values[i] as number);
      counts[k] = (counts[k] as number) + 1;
    }
    const means = Float32Array.from(sums, (s, k) => {
      const mean = s / Math.max(1, counts[k] as number);
      return half ? roundToHalf(mean) : mean;
    });
    for (let i = 0; i < values.length; i++) {
      const k = cluster[i] as number;
      values[i] = k < 0 ? 0 : (means[k] as number);
    }
    return;
  }
  if (keep) for (let i = 0; i < values.length; i++) if (keep[i] === 0) values[i] = 0;
}
