import { kmeans1d, nearestCentroid, type ClusterInit } from './kmeans';

/** Options of {@link clusterWeights}. */
export interface ClusterOptions {
  clusters: number;
  init: ClusterInit;
  /** Keep zeros (pruned weights) at zero, outside the clusters. */
  keepZeros: boolean;
  /** Rounds each centroid to what the stored tensor (or the package codebook) can hold exactly. */
  round: (centroid: number) => number;
}

/** Clustered weights: every weight replaced by its centroid (the shared value). */
export interface Clustered {
  values: Float32Array;
  centroids: number[];
  /** Index of each weight's centroid; −1 for a kept zero. */
  assignment: Int32Array;
}

/**
 * Weight sharing: k-means on a layer's weights, then every weight set to its nearest centroid, so
 * the layer holds at most `clusters` distinct values (plus zero when `keepZeros`).
 */
export function clusterWeights(values: Float32Array, options: ClusterOptions): Clustered {
  const members = options.keepZeros ? values.filter((v) => v !== 0) : values;
  const centroids = [...new Set(kmeans1d(members, options.clusters, options.init).map(options.round))].sort((a, b) => a - b);
  const out = new Float32Array(values.length);
  const assignment = new Int32Array(values.length).fill(-1);
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (options.keepZeros && v === 0) continue;
    const j = nearestCentroid(centroids, v);
    assignment[i] = j;
    out[i] = centroids[j] as number;
  }
  return { values: out, centroids, assignment };
}
