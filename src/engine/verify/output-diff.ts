import { realValues, type RunnerTensor } from './model-runner';
import type { OutputKind } from '../../contract/optimize';
import type { OutputProfile } from './output-kind';

/** How far one output moved between two models on the same inputs, measured the way its kind calls for. */
export interface OutputDiff {
  name: string;
  kind: OutputKind;
  /** Why this kind, in words. */
  kindReason: string;
  /** The scale errors are relative to (largest |value|; 1 for probabilities and masks; spread for landmarks). */
  scale: number;
  /** Largest |a − b|, in the output's units. */
  maxAbs: number;
  /** maxAbs ÷ scale (0 when identical, Infinity when the scale is 0 and something moved). */
  relative: number;
  /** Signal-to-quantization-noise ratio in dB (Infinity when identical). */
  sqnrDb: number;
  /** Smallest per-sample cosine: vectors, class scores and landmarks only (never one-value outputs). */
  cosine?: number;
  /** Class scores: share of rows whose top class agrees. */
  top1Agreement?: number;
  /** Masks: share of pixels on the same side of 0.5; integers: share of equal values. */
  agreement?: number;
  /** Masks: intersection over union of the pixels above 0.5 (1 when both are empty). */
  iou?: number;
  /** Set when the outputs cannot be compared (different shapes, a value became NaN or infinite, missing). */
  mismatch?: string;
}

/** Compares an output over all samples (reference and candidate, sample by sample). */
export function diffOutput(
  profile: OutputProfile,
  reference: readonly RunnerTensor[],
  candidate: readonly (RunnerTensor | undefined)[],
): OutputDiff {
  const base = { name: profile.name, kind: profile.kind, kindReason: profile.reason, scale: profile.scale };
  const broken = (mismatch: string): OutputDiff => ({ ...base, maxAbs: Infinity, relative: Infinity, sqnrDb: -Infinity, mismatch });
  const acc = new Accumulator(profile);
  for (const [index, expected] of reference.entries()) {
    const actual = candidate[index];
    if (!actual) return broken('the output is missing');
    if (expected.dims.join(',') !== actual.dims.join(',')) return broken(`shape [${expected.dims}] became [${actual.dims}]`);
    // Integers without quantization of their own are read with the other side's (a converted model keeps its scales).
    const problem = acc.add(realValues(expected, actual.quant), realValues(actual, expected.quant));
    if (problem) return broken(problem);
  }
  return { ...base, ...acc.result() };
}

/** Running sums over samples. */
class Accumulator {
  #maxAbs = 0;
  #signal = 0;
  #noise = 0;
  #cosine = 1;
  #rows = 0;
  #rowsAgreeing = 0;
  #equal = 0;
  #pixelsAgreeing = 0;
  #count = 0;
  #union = 0;
  #intersection = 0;

  constructor(private readonly profile: OutputProfile) {}

  /** Adds one sample; returns a problem when values cannot be compared. */
  add(a: ArrayLike<number>, b: ArrayLike<number>): string | undefined {
    let dot = 0;
    let na = 0;
    let nb = 0;
    for (let i = 0; i < a.length; i++) {
      const x = Number(a[i]);
      const y = Number(b[i]);
      if (!Number.isFinite(x) || !Number.isFinite(y)) {
        if (Object.is(x, y) || (Number.isNaN(x) && Number.isNaN(y))) continue;
        return `value ${i} was ${x} and became ${y}`;
      }
      const d = Math.abs(x - y);
      if (d > this.#maxAbs) this.#maxAbs = d;
      this.#signal += x * x;
      this.#noise += d * d;
      dot += x * y;
      na += x * x;
      nb += y * y;
      if (x === y) this.#equal++;
      const inA = x > 0.5;
      const inB = y > 0.5;
      if (inA || inB) this.#union++;
      if (inA && inB) this.#intersection++;
      if (inA === inB) this.#pixelsAgreeing++;
    }
    this.#count += a.length;
    const cosine = na === 0 && nb === 0 ? 1 : na === 0 || nb === 0 ? 0 : Math.min(1, dot / Math.sqrt(na * nb));
    this.#cosine = Math.min(this.#cosine, cosine);
    if (this.profile.kind === 'class-scores') this.#addRows(a, b);
    return undefined;
  }

  #addRows(a: ArrayLike<number>, b: ArrayLike<number>): void {
    const width = this.profile.rowLength;
    for (let start = 0; start + width <= a.length; start += width) {
      this.#rows++;
      if (argMax(a, start, width) === argMax(b, start, width)) this.#rowsAgreeing++;
    }
  }

  result(): Omit<OutputDiff, 'name' | 'kind' | 'kindReason' | 'scale'> {
    const { kind, scale } = this.profile;
    const relative = scale > 0 ? this.#maxAbs / scale : this.#maxAbs === 0 ? 0 : Infinity;
    const diff: Omit<OutputDiff, 'name' | 'kind' | 'kindReason' | 'scale'> = {
      maxAbs: this.#maxAbs,
      relative,
      sqnrDb: this.#noise === 0 ? Infinity : 10 * Math.log10(this.#signal / this.#noise),
    };
    if (kind === 'vector' || kind === 'class-scores' || kind === 'landmarks') diff.cosine = this.#cosine;
    if (kind === 'class-scores' && this.#rows > 0) diff.top1Agreement = this.#rowsAgreeing / this.#rows;
    if (kind === 'mask') {
      diff.agreement = this.#count ? this.#pixelsAgreeing / this.#count : 1;
      diff.iou = this.#union ? this.#intersection / this.#union : 1;
    }
    if (kind === 'integers') diff.agreement = this.#count ? this.#equal / this.#count : 1;
    return diff;
  }
}

function argMax(values: ArrayLike<number>, start: number, length: number): number {
  let best = 0;
  for (let i = 1; i < length; i++) if (Number(values[start + i]) > Number(values[start + best])) best = i;
  return best;
}
