import type { OutputKind } from '../../contract/optimize';
import { realValues, type RunnerTensor } from './model-runner';

/** What the model says about an output besides its values: its name and the operator that computes it. */
export interface OutputHint {
  /** The operator producing the output, looking through reshapes, casts and (de)quantization (e.g. `Sigmoid`). */
  producer?: string;
}

/** How an output is compared: its kind, why, and the scale errors are measured against. */
export interface OutputProfile {
  name: string;
  kind: OutputKind;
  /** Why this kind, in words ("values in [0, 1] from Sigmoid"). */
  reason: string;
  /** Errors are relative to this (see {@link Tolerance}). */
  scale: number;
  /** Class scores and masks: values per row (the last axis), rows per sample. */
  rowLength: number;
}

const PROBABILITY_OPS = new Set(['Sigmoid', 'Softmax', 'HardSigmoid', 'LOGISTIC', 'SOFTMAX']);
const SOFTMAX_OPS = new Set(['Softmax', 'SOFTMAX']);
const PROBABILITY_NAME = /prob|score|conf|presence|flag|sigmoid|softmax|vad|speech|mask|segment|alpha|matte/i;
const CLASS_NAME = /logit|class|cls|label|pred|prob|softmax/i;
const LANDMARK_NAME = /landmark|keypoint|kpt|joint|mesh|pose|points/i;
const INTEGER_TYPES = /^(u?int\d+|bool)$/;
/**
 * A map with less than this share of its values above 0.5 (or more than 1 − this) on the samples has no foreground to
 * speak of: pixel agreement and IoU are then 100 % and 1 whatever happened to the values (a text detector's
 * probability map on generated inputs, all below 0.1), so such a map is judged value by value.
 */
const MIN_FOREGROUND = 0.01;

/**
 * Decides an output's kind from the reference's values over all samples, its shape and dtype, and the model's own
 * word on it (name, producing operator):
 * integers (integer or boolean dtype without quantization) → equal values;
 * probabilities (values in [0, 1] with a probability operator or name) → absolute error; class scores when a softmax
 * makes them or each row sums to 1 (a CTC recognizer's [1, steps, characters] too); a mask when they form an image
 * (two spatial axes of 8 or more) with a foreground (see MIN_FOREGROUND);
 * landmarks (named so, more than one value) → error in the output's units against the points' spread;
 * one value → scalar; logits shaped [rows, classes] with few rows and a class name or a softmax → class scores;
 * anything else → vector (cosine).
 */
export function profileOutput(name: string, samples: readonly RunnerTensor[], dtype: string, hint: OutputHint = {}): OutputProfile {
  const first = samples[0];
  const dims = first?.dims ?? [];
  const perSample = dims.reduce((n, d) => n * d, 1);
  const rowLength = dims.at(-1) ?? 1;
  const rows = rowLength > 0 ? perSample / rowLength : 0;
  let min = Infinity;
  let max = -Infinity;
  let maxAbs = 0;
  for (const sample of samples) {
    const values = realValues(sample);
    for (let i = 0; i < values.length; i++) {
      const v = Number(values[i]);
      if (!Number.isFinite(v)) continue;
      if (v < min) min = v;
      if (v > max) max = v;
      if (Math.abs(v) > maxAbs) maxAbs = Math.abs(v);
    }
  }
  const producer = hint.producer;
  const profile = (kind: OutputKind, reason: string, scale = maxAbs): OutputProfile => ({ name, kind, reason, scale, rowLength });

  if (INTEGER_TYPES.test(dtype) && !first?.quant) return profile('integers', `${dtype} values`);
  const inUnitRange = min >= 0 && max <= 1;
  const probabilityEvidence =
    producer && PROBABILITY_OPS.has(producer) ? `from ${producer}` : PROBABILITY_NAME.test(name) ? 'by its name' : '';
  if (inUnitRange && probabilityEvidence) {
    if (rowLength >= 2 && producer && SOFTMAX_OPS.has(producer)) return profile('class-scores', `class probabilities from ${producer}`, 1);
    if (rowLength >= 2 && rows <= 512 && first && rowsSumToOne(realValues(first), rowLength))
      return profile('class-scores', `class probabilities (each row sums to 1) ${probabilityEvidence}`, 1);
    if (isImage(dims)) {
      const share = foregroundShare(samples);
      if (share >= MIN_FOREGROUND && share <= 1 - MIN_FOREGROUND)
        return profile('mask', `a map of values in [0, 1] ${probabilityEvidence}`, 1);
      const part = `${(share * 100).toFixed(share > 0 && share < 0.001 ? 3 : 1)} %`;
      return profile(
        'probabilities',
        `a map of values in [0, 1] ${probabilityEvidence}, ${part} of it above 0.5 on these inputs: too little foreground to compare as a mask`,
        1,
      );
    }
    return profile('probabilities', `values in [0, 1] ${probabilityEvidence}`, 1);
  }
  if (perSample > 1 && LANDMARK_NAME.test(name)) return profile('landmarks', 'points, by its name', Math.max(max - min, 0));
  if (perSample === 1) return profile('scalar', 'one value');
  const classEvidence = producer && SOFTMAX_OPS.has(producer) ? `from ${producer}` : CLASS_NAME.test(name) ? 'by its name' : '';
  if (classEvidence && rowLength >= 2 && rows <= 512) return profile('class-scores', `scores over ${rowLength} classes ${classEvidence}`);
  return profile('vector', `${perSample} values`);
}

/** Every row of the last axis sums to 1 (a softmax's output). */
function rowsSumToOne(values: ArrayLike<number>, width: number): boolean {
  for (let start = 0; start + width <= values.length; start += width) {
    let sum = 0;
    for (let i = start; i < start + width; i++) sum += Number(values[i]);
    if (Math.abs(sum - 1) > 1e-3) return false;
  }
  return values.length >= width;
}

/** The share of values above 0.5 over all samples (a mask's foreground). */
function foregroundShare(samples: readonly RunnerTensor[]): number {
  let above = 0;
  let count = 0;
  for (const sample of samples) {
    const values = realValues(sample);
    for (let i = 0; i < values.length; i++) if (Number(values[i]) > 0.5) above++;
    count += values.length;
  }
  return count ? above / count : 0;
}

/** Two spatial axes of at least 8 (NCHW or NHWC, few channels): an image-like map. */
function isImage(dims: readonly number[]): boolean {
  if (dims.length < 3) return false;
  const spatial = dims.filter((d) => d >= 8);
  const channels = dims.length === 4 ? Math.min(dims[1] ?? 0, dims[3] ?? 0) : 1;
  return spatial.length >= 2 && channels <= 4;
}
