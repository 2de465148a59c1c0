import { describe, expect, it } from 'vitest';
import { histogram, latencyStats, median, percentile } from '../../../src/engine/bench/stats';

describe('latency statistics', () => {
  it('are right on known samples', () => {
    const stats = latencyStats([10, 1, 9, 2, 8, 3, 7, 4, 6, 5]);
    expect(stats.min).toBe(1);
    expect(stats.max).toBe(10);
    expect(stats.mean).toBeCloseTo(5.5, 12);
    expect(stats.p50).toBeCloseTo(5.5, 12);
    expect(stats.p90).toBeCloseTo(9.1, 12);
    expect(stats.p95).toBeCloseTo(9.55, 12);
    expect(stats.p99).toBeCloseTo(9.91, 12);
    // Sample standard deviation of 1..10: sqrt(82.5 / 9).
    expect(stats.std).toBeCloseTo(Math.sqrt(82.5 / 9), 12);
  });

  it('handle one sample and constant samples', () => {
    expect(latencyStats([3])).toEqual({ min: 3, mean: 3, p50: 3, p90: 3, p95: 3, p99: 3, max: 3, std: 0 });
    expect(latencyStats([2, 2, 2, 2]).std).toBe(0);
    expect(() => latencyStats([])).toThrow();
  });

  it('interpolate percentiles between ranks', () => {
    expect(percentile([0, 10], 0.25)).toBeCloseTo(2.5, 12);
    expect(percentile([5], 0.99)).toBe(5);
    expect(median([4, 1, 3, 2])).toBeCloseTo(2.5, 12);
  });

  it('histograms count every sample and keep outliers in the last bin', () => {
    const samples = [...Array.from({ length: 99 }, (_, i) => 1 + i / 100), 50];
    const h = histogram(samples, 20);
    expect(h.counts).toHaveLength(20);
    expect(h.counts.reduce((a, b) => a + b, 0)).toBe(100);
    expect(h.startMs).toBe(1);
    expect(h.counts[19]).toBeGreaterThanOrEqual(1);
    expect(histogram([2, 2, 2]).counts.reduce((a, b) => a + b, 0)).toBe(3);
  });
});
