/**
 * Learning-rate schedules over the steps of a run (t = step / total, warm-up first):
 *
 *   constant: lr          cosine: lr·(1 + cos(π·t))/2          step: lr·0.1^⌊3t⌋ (two tenfold drops)
 *   linear:   lr·(1 − t)  warm-up: lr·(s + 1)/w over the first w steps
 */
import type { ScheduleKind } from '../../contract/train';

/** The learning rate of step `step` (0-based) of `total`. */
export function learningRate(kind: ScheduleKind, base: number, step: number, total: number, warmup = 0): number {
  if (warmup > 0 && step < warmup) return (base * (step + 1)) / warmup;
  const span = Math.max(1, total - warmup);
  const t = Math.min(1, Math.max(0, (step - warmup) / span));
  switch (kind) {
    case 'constant':
      return base;
    case 'cosine':
      return (base * (1 + Math.cos(Math.PI * t))) / 2;
    case 'step':
      return base * 0.1 ** Math.min(2, Math.floor(3 * t));
    case 'linear':
      return base * (1 - t);
  }
}
