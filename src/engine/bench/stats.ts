import type { Histogram, LatencyStats } from '../../contract/bench';

/** Percentile `q` in [0, 1] of sorted values, linearly interpolated between closest ranks. */
export function percentile(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const position = Math.min(Math.max(q, 0), 1) * (n - 1);
  const lower = Math.floor(position);
  const upper = Math.min(lower + 1, n - 1);
  // 0 <= lower <= upper <= n - 1: both ranks exist.
  const low = sorted[lower]!;
  return low + (sorted[upper]! - low) * (position - lower);
}

/** Median of unsorted values. */
export function median(values: ArrayLike<number>): number {
  return percentile(Float64Array.from(values).sort(), 0.5);
}

/** Min, mean, percentiles, max and sample standard deviation of latencies (ms). */
export function latencyStats(samples: ArrayLike<number>): LatencyStats {
  const n = samples.length;
  if (n === 0) throw new RangeError('latencyStats needs at least one sample');
  const sorted = Float64Array.from(samples).sort();
  let sum = 0;
  for (const value of sorted) sum += value;
  const mean = sum / n;
  let squares = 0;
  for (const value of sorted) squares += (value - mean) ** 2;
  return {
    min: percentile(sorted, 0),
    mean,
    p50: percentile(sorted, 0.5),
    p90: percentile(sorted, 0.9),
    p95: percentile(sorted, 0.95),
    p99: percentile(sorted, 0.99),
    max: percentile(sorted, 1),
    std: n > 1 ? Math.sqrt(squares / (n - 1)) : 0,
  };
}

/**
 * Histogram of latencies for a distribution chart. The range is [min, p99 + a margin] so one
 * outlier does not squash the chart; samples above it land in the last bin.
 */
export function histogram(samples: ArrayLike<number>, bins = 30): Histogram {
  const sorted = Float64Array.from(samples).sort();
  if (sorted.length === 0) return { startMs: 0, binMs: 1, counts: [] };
  const start = percentile(sorted, 0);
  const top = Math.max(percentile(sorted, 0.99), start);
  const span = top - start;
  const binMs = span > 0 ? (span * 1.02) / bins : Math.max(start * 0.01, 1e-6);
  const counts = new Array<number>(bins).fill(0);
  for (const value of sorted) {
    const bin = Math.min(bins - 1, Math.floor((value - start) / binMs));
    counts[bin] = (counts[bin] ?? 0) + 1;
  }
  return { startMs: start, binMs, counts };
}
