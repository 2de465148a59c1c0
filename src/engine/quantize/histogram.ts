/** Bins of the absolute-value histograms used by percentile and entropy calibration. */
export const HISTOGRAM_BINS = 2048;

/** A histogram of |x| over [0, limit], filled batch by batch. */
export class AbsHistogram {
  readonly counts = new Float64Array(HISTOGRAM_BINS);
  readonly limit: number;

  constructor(limit: number) {
    this.limit = limit > 0 ? limit : 1;
  }

  add(values: Iterable<number>): void {
    const scale = HISTOGRAM_BINS / this.limit;
    for (const value of values) {
      const bin = Math.min(HISTOGRAM_BINS - 1, Math.floor(Math.abs(value) * scale));
      this.counts[bin] = (this.counts[bin] ?? 0) + 1; // NaN values have no bin: the write is dropped
    }
  }

  /** |x| below which `percentile` % of the values lie. */
  percentile(percentile: number): number {
    const total = this.counts.reduce((a, b) => a + b, 0);
    const goal = (total * percentile) / 100;
    let sum = 0;
    for (const [i, count] of this.counts.entries()) {
      sum += count;
      if (sum >= goal) return ((i + 1) * this.limit) / HISTOGRAM_BINS;
    }
    return this.limit;
  }

  /**
   * Threshold minimizing the KL divergence between the clipped distribution and its quantization
   * to `levels` levels (the entropy calibration TensorRT describes).
   */
  entropyThreshold(levels: number): number {
    const hist = this.counts;
    let best = HISTOGRAM_BINS;
    let bestKl = Infinity;
    const step = Math.max(1, Math.floor(HISTOGRAM_BINS / 256));
    for (let i = levels; i <= HISTOGRAM_BINS; i += step) {
      const kl = klForThreshold(hist, i, levels);
      if (kl < bestKl) {
        bestKl = kl;
        best = i;
      }
    }
    return (best * this.limit) / HISTOGRAM_BINS;
  }
}

function klForThreshold(hist: Float64Array, bins: number, levels: number): number {
  // p: the first `bins` bins, with everything above the threshold counted in the last one (bins >= levels >= 1).
  const p = hist.slice(0, bins);
  p[bins - 1] = hist.subarray(bins - 1).reduce((a, b) => a + b, 0);
  // q: each of `levels` groups of bins spread evenly over the group's nonzero bins.
  const q = new Float64Array(bins);
  const per = bins / levels;
  for (let level = 0; level < levels; level++) {
    const start = Math.floor(level * per);
    const group = hist.subarray(start, level === levels - 1 ? bins : Math.floor((level + 1) * per));
    let sum = 0;
    let nonzero = 0;
    for (const count of group) {
      sum += count;
      if (count > 0) nonzero++;
    }
    q.set(
      group.map((count) => (count > 0 && nonzero ? sum / nonzero : 0)),
      start,
    );
  }
  const pSum = p.reduce((a, b) => a + b, 0);
  const qSum = q.reduce((a, b) => a + b, 0);
  if (!pSum || !qSum) return Infinity;
  let kl = 0;
  for (const [j, count] of p.entries()) {
    const pj = count / pSum;
    if (pj === 0) continue;
    const qj = q[j]! / qSum; // q has `bins` entries, like p
    kl += qj > 0 ? pj * Math.log(pj / qj) : pj * 30;
  }
  return kl;
}
