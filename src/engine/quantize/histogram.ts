/** Bins of the absolute-value histograms used by percentile and entropy calibration. */
export const HISTOGRAM_BINS = 2048;

/** A histogram of |x| over [0, limit], filled batch by batch. */
export class AbsHistogram {
  readonly counts = new Float64Array(HISTOGRAM_BINS);
  readonly limit: number;

  constructor(limit: number) {
    this.limit = limit > 0 ? limit : 1;
  }

  add(values: ArrayLike<number>): void {
    const scale = HISTOGRAM_BINS / this.limit;
    for (let i = 0; i < values.length; i++) {
      const bin = Math.min(HISTOGRAM_BINS - 1, Math.floor(Math.abs(values[i]!) * scale));
      this.counts[bin]! += 1;
    }
  }

  /** |x| below which `percentile` % of the values lie. */
  percentile(percentile: number): number {
    const total = this.counts.reduce((a, b) => a + b, 0);
    const goal = (total * percentile) / 100;
    let sum = 0;
    for (let i = 0; i < HISTOGRAM_BINS; i++) {
      sum += this.counts[i]!;
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
  const p = Array.from(hist.subarray(0, bins));
  let outliers = 0;
  for (let j = bins; j < hist.length; j++) outliers += hist[j]!;
  p[bins - 1]! += outliers;
  const q = new Float64Array(bins);
  const per = bins / levels;
  for (let level = 0; level < levels; level++) {
    const start = Math.floor(level * per);
    const end = level === levels - 1 ? bins : Math.floor((level + 1) * per);
    let sum = 0;
    let nonzero = 0;
    for (let j = start; j < end; j++) {
      sum += hist[j]!;
      if (hist[j]! > 0) nonzero++;
    }
    for (let j = start; j < end; j++) q[j] = hist[j]! > 0 && nonzero ? sum / nonzero : 0;
  }
  const pSum = p.reduce((a, b) => a + b, 0);
  const qSum = q.reduce((a, b) => a + b, 0);
  if (!pSum || !qSum) return Infinity;
  let kl = 0;
  for (let j = 0; j < bins; j++) {
    const pj = p[j]! / pSum;
    if (pj === 0) continue;
    const qj = q[j]! / qSum;
    kl += qj > 0 ? pj * Math.log(pj / qj) : pj * 30;
  }
  return kl;
}
