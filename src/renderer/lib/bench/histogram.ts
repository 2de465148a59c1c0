import { formatMs } from '../format/numbers';

/** Latency samples of several series counted into the same bins, for one distribution chart. */
export interface SharedHistogram {
  labels: string[];
  counts: number[][];
}

/**
 * Bins every series on one common range (about 2·√n bins) (1st to 99th percentile of all samples, so a few outliers
 * do not squash the chart; values outside land in the edge bins).
 */
export function sharedHistogram(series: readonly (readonly number[])[]): SharedHistogram {
  const all = series.flat().sort((a, b) => a - b);
  const binCount = Math.min(30, Math.max(6, Math.round(Math.sqrt(all.length / series.length) * 2)));
  const low = all[Math.floor(all.length * 0.01)];
  const high = all[Math.min(all.length - 1, Math.ceil(all.length * 0.99))];
  if (low === undefined || high === undefined) return { labels: [], counts: series.map(() => []) };
  const width = high > low ? (high - low) / binCount : 1;
  const bins = high > low ? binCount : 1;
  const labels = Array.from({ length: bins }, (_, index) => formatMs(low + (index + 0.5) * width));
  const counts = series.map((samples) => {
    const row = new Array<number>(bins).fill(0);
    for (const value of samples) {
      const bin = Math.max(0, Math.min(bins - 1, Math.floor((value - low) / width)));
      row[bin] = (row[bin] ?? 0) + 1;
    }
    return row;
  });
  return { labels, counts };
}
