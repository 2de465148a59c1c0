import type { FidelitySummary } from '../../contract/evaluate';

/** Top-k accuracy counts, accumulated batch by batch. */
export class AccuracyCounter {
  total = 0;
  top1 = 0;
  top5 = 0;

  /** Adds `count` rows of `classes` scores with their labels. */
  add(scores: ArrayLike<number>, classes: number, labels: ArrayLike<number>): void {
    for (let row = 0; row < labels.length; row++) {
      const label = labels[row]!;
      if (label < 0) continue;
      const base = row * classes;
      const target = scores[base + label] ?? -Infinity;
      let higher = 0;
      for (let c = 0; c < classes; c++) if (scores[base + c]! > target) higher++;
      this.total++;
      if (higher === 0) this.top1++;
      if (higher < 5) this.top5++;
    }
  }

  /** Fractions in [0, 1] (undefined before any labelled sample). */
  result(): { top1: number; top5: number; correct: number; total: number } | undefined {
    if (!this.total) return undefined;
    return { top1: this.top1 / this.total, top5: this.top5 / this.total, correct: this.top1, total: this.total };
  }
}

/** How closely a candidate's outputs follow a reference's, accumulated sample by sample. */
export type Fidelity = FidelitySummary;

/** Highest SQNR reported (identical outputs would be infinite, which JSON cannot hold). */
export const SQNR_CAP_DB = 200;

/** Accumulates fidelity statistics over rows of `width` values. */
export class FidelityCounter {
  #samples = 0;
  #agree = 0;
  #cosineSum = 0;
  #cosineMin = 1;
  #signal = 0;
  #noise = 0;
  #maxAbs = 0;

  add(reference: ArrayLike<number>, candidate: ArrayLike<number>, width: number): void {
    const rows = Math.floor(reference.length / width);
    for (let row = 0; row < rows; row++) {
      let dot = 0;
      let na = 0;
      let nb = 0;
      let bestA = 0;
      let bestB = 0;
      for (let i = 0; i < width; i++) {
        const a = reference[row * width + i]!;
        const b = candidate[row * width + i]!;
        dot += a * b;
        na += a * a;
        nb += b * b;
        this.#noise += (a - b) * (a - b);
        this.#maxAbs = Math.max(this.#maxAbs, Math.abs(a - b));
        if (a > reference[row * width + bestA]!) bestA = i;
        if (b > candidate[row * width + bestB]!) bestB = i;
      }
      this.#signal += na;
      const cosine = na === 0 && nb === 0 ? 1 : na === 0 || nb === 0 ? 0 : Math.min(1, dot / Math.sqrt(na * nb));
      this.#cosineSum += cosine;
      this.#cosineMin = Math.min(this.#cosineMin, cosine);
      if (bestA === bestB) this.#agree++;
      this.#samples++;
    }
  }

  result(): Fidelity | undefined {
    if (!this.#samples) return undefined;
    return {
      top1Agreement: this.#agree / this.#samples,
      cosine: this.#cosineSum / this.#samples,
      cosineMin: this.#cosineMin,
      sqnrDb: sqnrDb(this.#signal, this.#noise),
      maxAbs: this.#maxAbs,
      samples: this.#samples,
    };
  }
}

/** 10·log10(signal / noise), capped at {@link SQNR_CAP_DB}. */
export function sqnrDb(signal: number, noise: number): number {
  if (noise === 0) return SQNR_CAP_DB;
  if (signal === 0) return -SQNR_CAP_DB;
  return Math.max(-SQNR_CAP_DB, Math.min(SQNR_CAP_DB, 10 * Math.log10(signal / noise)));
}
