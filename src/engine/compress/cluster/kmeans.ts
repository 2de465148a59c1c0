// One-dimensional k-means (Lloyd's algorithm) on sorted values: with the data sorted, the clusters of
// sorted centroids are contiguous runs split at the midpoints between neighbouring centroids, so
// each iteration is k binary searches and k means from prefix sums:
//   assign:  boundary_j = (c_j + c_{j+1}) / 2,    cluster j = values in [boundary_{j-1}, boundary_j)
//   update:  c_j = (S[end_j] − S[start_j]) / (end_j − start_j),   S = prefix sums of the sorted values
// Initialisation (Deep Compression, Han et al. 2016): linear — evenly spaced over [min, max];
// density — at the quantiles (j + ½)/k of the values; random — k of the values, seeded.

/** How the first centroids are placed. */
export type ClusterInit = 'linear' | 'density' | 'random';

function lowerBound(sorted: Float64Array, x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as number) < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function initialCentroids(sorted: Float64Array, k: number, init: ClusterInit, seed: number): number[] {
  const n = sorted.length;
  const min = sorted[0] as number;
  const max = sorted[n - 1] as number;
  if (init === 'linear') return Array.from({ length: k }, (_, j) => (k === 1 ? (min + max) / 2 : min + ((max - min) * j) / (k - 1)));
  if (init === 'density') return Array.from({ length: k }, (_, j) => sorted[Math.min(n - 1, Math.floor(((j + 0.5) / k) * n))] as number);
  let s = seed >>> 0 || 1;
  return Array.from({ length: k }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return sorted[Math.floor((s / 2 ** 32) * n)] as number;
  }).sort((a, b) => a - b);
}

/**
 * Centroids of `values` (at most `k`, sorted, distinct) after Lloyd iterations until nothing moves
 * (or `maxIterations`). Empty clusters are dropped.
 */
export function kmeans1d(values: ArrayLike<number>, k: number, init: ClusterInit, maxIterations = 100, seed = 1): number[] {
  const sorted = Float64Array.from(values).sort();
  const n = sorted.length;
  if (n === 0) return [];
  const prefix = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) prefix[i + 1] = (prefix[i] as number) + (sorted[i] as number);
  let centroids = [...new Set(initialCentroids(sorted, Math.min(k, n), init, seed))];
  for (let iteration = 0; iteration < maxIterations; iteration++) {
    const next: number[] = [];
    let start = 0;
    for (let j = 0; j < centroids.length; j++) {
      const end = j === centroids.length - 1 ? n : lowerBound(sorted, ((centroids[j] as number) + (centroids[j + 1] as number)) / 2);
      if (end > start) next.push(((prefix[end] as number) - (prefix[start] as number)) / (end - start));
      start = Math.max(start, end);
    }
    const moved = next.length !== centroids.length || next.some((c, j) => c !== centroids[j]);
    centroids = next;
    if (!moved) break;
  }
  return centroids;
}

/** Index of the centroid nearest to `x` in sorted `centroids` (ties to the lower one). */
export function nearestCentroid(centroids: readonly number[], x: number): number {
  let lo = 0;
  let hi = centroids.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (x > ((centroids[mid] as number) + (centroids[mid + 1] as number)) / 2) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
