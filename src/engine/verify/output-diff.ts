import { realValues, type RunnerTensor } from './model-runner';

/** How far one output moved between two models on the same inputs. */
export interface OutputDiff {
  name: string;
  maxAbs: number;
  /** max |a − b| / max |a| (0 when both are all zeros). */
  relative: number;
  cosine: number;
  /** Signal-to-quantization-noise ratio in dB (Infinity when identical). */
  sqnrDb: number;
  /** For class scores: fraction of rows whose arg-max agrees. */
  top1Agreement?: number;
  /** Set when the outputs cannot be compared (different shapes or types). */
  mismatch?: string;
}

/** Compares a reference output with a candidate output. */
export function diffOutputs(name: string, reference: RunnerTensor, candidate: RunnerTensor): OutputDiff {
  if (reference.dims.join(',') !== candidate.dims.join(',')) {
    return {
      name,
      maxAbs: Infinity,
      relative: Infinity,
      cosine: 0,
      sqnrDb: -Infinity,
      mismatch: `shape [${reference.dims}] became [${candidate.dims}]`,
    };
  }
  // Integers without quantization of their own are read with the other side's (a converted model keeps its scales).
  const a = realValues(reference, candidate.quant);
  const b = realValues(candidate, reference.quant);
  let maxAbs = 0;
  let maxRef = 0;
  let dot = 0;
  let normA = 0;
  let normB = 0;
  let noise = 0;
  let nonFinite = false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (!Number.isFinite(x) || !Number.isFinite(y)) {
      if (!(Object.is(x, y) || (Number.isNaN(x) && Number.isNaN(y)))) nonFinite = true;
      continue;
    }
    const d = Math.abs(x - y);
    if (d > maxAbs) maxAbs = d;
    if (Math.abs(x) > maxRef) maxRef = Math.abs(x);
    dot += x * y;
    normA += x * x;
    normB += y * y;
    noise += (x - y) * (x - y);
  }
  if (nonFinite)
    return { name, maxAbs: Infinity, relative: Infinity, cosine: 0, sqnrDb: -Infinity, mismatch: 'a value became infinite or NaN' };
  const cosine = normA === 0 && normB === 0 ? 1 : normA === 0 || normB === 0 ? 0 : dot / Math.sqrt(normA * normB);
  const diff: OutputDiff = {
    name,
    maxAbs,
    relative: maxRef === 0 ? (maxAbs === 0 ? 0 : Infinity) : maxAbs / maxRef,
    cosine: Math.min(1, cosine),
    sqnrDb: noise === 0 ? Infinity : 10 * Math.log10(normA / noise),
  };
  const agreement = top1Agreement(reference.dims, a, b);
  if (agreement !== undefined) diff.top1Agreement = agreement;
  return diff;
}

/** Arg-max agreement over the last axis, for outputs shaped [rows, classes] with classes > 1. */
function top1Agreement(dims: readonly number[], a: ArrayLike<number>, b: ArrayLike<number>): number | undefined {
  const classes = dims.at(-1) ?? 0;
  if (dims.length < 2 || classes < 2 || classes > 100_000) return undefined;
  const rows = a.length / classes;
  let agree = 0;
  for (let row = 0; row < rows; row++) {
    if (argMax(a, row * classes, classes) === argMax(b, row * classes, classes)) agree++;
  }
  return rows === 0 ? undefined : agree / rows;
}

function argMax(values: ArrayLike<number>, start: number, length: number): number {
  let best = 0;
  for (let i = 1; i < length; i++) if (values[start + i]! > values[start + best]!) best = i;
  return best;
}
