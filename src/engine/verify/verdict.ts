import type { FidelityVerdict as Verdict } from '../../contract/optimize';
import type { OutputDiff } from './output-diff';
import { FLOAT_ROUNDING, type Tolerance } from './tolerance';

export type { Verdict };

/** One output judged against a tolerance. */
export interface OutputJudgement {
  verdict: Verdict;
  /** "identical", "within float rounding", "close: cosine 0.9990", "changed: largest difference 0.33". */
  words: string;
  /** The worst check's deviation ÷ what the tolerance allows (at most 1 passes). */
  severity: number;
}

const RANK: Record<Verdict, number> = { identical: 0, 'within-float-rounding': 1, close: 2, changed: 3 };

/** The error a value of this output may have under `t`. */
export function allowedError(diff: Pick<OutputDiff, 'kind' | 'scale'>, t: Tolerance): number {
  const wholeOutput = diff.kind === 'vector' || diff.kind === 'class-scores' || diff.kind === 'mask';
  return t.atol + (wholeOutput ? t.vectorRtol : t.rtol) * diff.scale;
}

/** Deviation ÷ allowance of each check that applies to the output's kind. */
function severity(diff: OutputDiff, t: Tolerance): number {
  const room = (measured: number | undefined, least: number): number =>
    measured === undefined ? 0 : (1 - measured) / Math.max(1 - least, 1e-12);
  return Math.max(
    diff.maxAbs / allowedError(diff, t),
    room(diff.cosine, t.cosine),
    room(diff.top1Agreement, t.agreement),
    room(diff.agreement, t.agreement),
    room(diff.iou, t.iou),
  );
}

// Whether `t` allows no more than float rounding: the tolerance of an exact rewrite.
function isExact(t: Tolerance): boolean {
  return t.atol <= FLOAT_ROUNDING.atol && t.rtol <= FLOAT_ROUNDING.rtol && t.vectorRtol <= FLOAT_ROUNDING.vectorRtol;
}

/**
 * Judges one output: identical (no value moved), within float rounding (an exact rewrite whose every value is within
 * the rounding bound of its scale; a near-zero output is then judged by the absolute floor, and its cosine or top-1
 * flips are rounding too), close (within `t` by every metric its kind has), or changed. A lossy step (float16, int8)
 * is never "within float rounding": when it moved these samples' values by less, they were near zero, and other
 * inputs move more; it is "close" with its figure.
 */
export function judgeOutput(diff: OutputDiff, t: Tolerance): OutputJudgement {
  if (diff.mismatch) return { verdict: 'changed', words: `changed: ${diff.mismatch}`, severity: Infinity };
  if (diff.maxAbs === 0) return { verdict: 'identical', words: 'identical', severity: 0 };
  if (isExact(t) && diff.maxAbs <= allowedError(diff, FLOAT_ROUNDING))
    return { verdict: 'within-float-rounding', words: 'within float rounding', severity: 0 };
  const s = severity(diff, t);
  const verdict: Verdict = s <= 1 ? 'close' : 'changed';
  return { verdict, words: `${verdict}: ${figure(diff)}`, severity: s };
}

/** The worst of several outputs' judgements, naming the output when there are several. */
export function judgeAll(outputs: readonly OutputDiff[], t: Tolerance): OutputJudgement & { output?: string } {
  let worst: (OutputJudgement & { output?: string }) | undefined;
  for (const diff of outputs) {
    const j = judgeOutput(diff, t);
    if (!worst || RANK[j.verdict] > RANK[worst.verdict] || (RANK[j.verdict] === RANK[worst.verdict] && j.severity > worst.severity))
      worst = { ...j, output: diff.name };
  }
  if (!worst) return { verdict: 'identical', words: 'identical (the model has no outputs)', severity: 0 };
  const named = outputs.length > 1 && RANK[worst.verdict] >= RANK.close;
  return named ? { ...worst, words: `${worst.words} (output "${worst.output}")` } : worst;
}

/** The figure that fits the output's kind. */
export function figure(diff: OutputDiff): string {
  const pct = (x: number): string => `${(x * 100).toFixed(x > 0.999 && x < 1 ? 2 : 1)} %`;
  const cosine = diff.cosine === undefined ? '' : `cosine ${formatCosine(diff.cosine)}`;
  switch (diff.kind) {
    case 'class-scores':
      return [diff.top1Agreement === undefined ? '' : `top-1 agreement ${pct(diff.top1Agreement)}`, cosine].filter(Boolean).join(', ');
    case 'mask':
      return `pixel agreement ${pct(diff.agreement ?? 1)}, IoU ${(diff.iou ?? 1).toFixed(3)}`;
    case 'probabilities':
      return `largest difference ${formatNumber(diff.maxAbs)} (on values from 0 to 1)`;
    case 'landmarks':
      return `landmark error ${formatNumber(diff.maxAbs)} in the output's units (points spread over ${formatNumber(diff.scale)}), ${cosine}`;
    case 'scalar':
      return `difference ${formatNumber(diff.maxAbs)} (${pct(diff.relative)} of the value)`;
    case 'integers':
      return `${pct(diff.agreement ?? 1)} of values equal`;
    case 'vector':
      return cosine;
  }
}

/** A cosine with enough digits to tell it from 1: 0.9990, 0.999996. */
export function formatCosine(cosine: number): string {
  return cosine >= 0.9999 && cosine < 1 ? cosine.toFixed(6) : cosine.toFixed(4);
}

function formatNumber(x: number): string {
  if (x === 0) return '0';
  return Math.abs(x) < 1e-3 || Math.abs(x) >= 1e4 ? x.toExponential(2) : Number(x.toPrecision(3)).toString();
}
