import type { DataSource } from '../data/batch';
import { inputLayout } from '../data/input-layout';
import { RANDOM_DATA_WARNING, randomSource } from '../data/random-source';
import type { Model } from '../ir/model';
import { plannedLayout } from '../verify/planned-inputs';

/** The calibration data a pass got, or random samples with the warning to show. */
export function calibrationSource(
  model: Model,
  data: DataSource | undefined,
  samples: number,
): { source: DataSource; fixedBatch?: number; notes: string[] } {
  const layout = inputLayout(model);
  const fixed = layout.fixedBatch ? { fixedBatch: layout.fixedBatch } : {};
  if (data) return { source: data, ...fixed, notes: data.random ? [RANDOM_DATA_WARNING] : [] };
  return { source: randomSource(plannedLayout(model, layout), Math.min(samples, 32)), ...fixed, notes: [RANDOM_DATA_WARNING] };
}
