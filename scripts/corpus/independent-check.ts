// The corpus's own comparison of an original and a result, kept apart from the engine's verifier on purpose: other
// seeds, its own arithmetic, plain criteria. It uses only the runtime adapters (load, feed, run, dequantize).
import { readFile } from 'node:fs/promises';
import type { ModelFormat } from '../../src/engine/formats/model-io';
import { realValues, type ModelRunner, type RunnerTensor } from '../../src/engine/verify/model-runner';
import { runSamples, type SampleRun } from '../../src/engine/verify/run-samples';
import { openRunner } from '../../src/engine/verify/verifier';
import type { Fidelity } from './corpus-schema';

/** Seeds of the sample inputs (the engine's verifier uses 1, 2, 3). */
const SEEDS = [101, 102, 103];
/** float32 rounding: an exact rewrite may move a value by this much relative to the output's largest value … */
export const ROUNDING_RTOL = 1e-4;
/** … or by this much absolutely (outputs that are all near zero). */
export const ROUNDING_ATOL = 1e-6;
/** The error figure divides by the output's largest value, but by no less than this. */
const ERROR_SCALE_FLOOR = 0.01;

/** One output over all samples. */
export interface OutputComparison {
  name: string;
  maxAbs: number;
  maxRef: number;
  /** Smallest per-sample cosine; only for outputs with more than one value. */
  cosine?: number;
  mismatch?: string;
}

/** The comparison of two models on the same inputs. */
export interface IndependentCheck {
  fidelity: Fidelity;
  outputs: OutputComparison[];
  cosine?: number;
  error?: number;
  /** Why the models could not both run (fidelity `not-run`). */
  notRun?: string;
}

/** A model file and its format. */
export interface ModelFile {
  path: string;
  format: ModelFormat;
}

/** Runs `original` and `result` on the same seeded inputs and compares every output. */
export async function checkIndependently(original: ModelFile, result: ModelFile): Promise<IndependentCheck> {
  const [a, b] = await Promise.all([readFile(original.path), readFile(result.path)]);
  let reference: { runner: { outputs: readonly { name: string }[] }; runs: SampleRun[] };
  let candidate: SampleRun[];
  try {
    reference = await runSamples(
      () => open(a, original),
      SEEDS.length,
      (runner, index) => runner.sampleFeeds(SEEDS[index]!),
    );
  } catch (error) {
    return { fidelity: 'not-run', outputs: [], notRun: `the original does not run: ${messageOf(error)}` };
  }
  try {
    candidate = (
      await runSamples(
        () => open(b, result),
        SEEDS.length,
        (_runner, index) => reference.runs[index]!.feeds,
      )
    ).runs;
  } catch (error) {
    return { fidelity: 'not-run', outputs: [], notRun: `the result does not run: ${messageOf(error)}` };
  }
  const merged = new Map<number, OutputComparison>();
  reference.runs.forEach((run, sample) => {
    run.outputs.forEach((expected, index) => {
      const name = reference.runner.outputs[index]?.name ?? `output ${index}`;
      const next = compareOutput(name, expected, candidate[sample]?.outputs[index]);
      const previous = merged.get(index);
      merged.set(index, previous ? mergeOutputs(previous, next) : next);
    });
  });
  return summarize([...merged.values()]);
}

function open(bytes: Uint8Array, file: ModelFile): Promise<ModelRunner> {
  return openRunner(bytes, file.format, file.path, { file: file.path });
}

function compareOutput(name: string, expected: RunnerTensor, actual: RunnerTensor | undefined): OutputComparison {
  if (!actual) return { name, maxAbs: Infinity, maxRef: 0, mismatch: 'the result has no such output' };
  const count = (dims: readonly number[]): number => dims.reduce((n, d) => n * d, 1);
  if (count(expected.dims) !== count(actual.dims))
    return { name, maxAbs: Infinity, maxRef: 0, mismatch: `shape [${expected.dims.join(',')}] became [${actual.dims.join(',')}]` };
  const x = realValues(expected, actual.quant);
  const y = realValues(actual, expected.quant);
  let maxAbs = 0;
  let maxRef = 0;
  let dot = 0;
  let xx = 0;
  let yy = 0;
  for (let i = 0; i < x.length; i++) {
    const p = Number(x[i]);
    const q = Number(y[i]);
    if (Number.isNaN(p) && Number.isNaN(q)) continue;
    if (!Number.isFinite(p) || !Number.isFinite(q)) {
      if (p !== q) return { name, maxAbs: Infinity, maxRef, mismatch: `value ${i} is ${p} in the original and ${q} in the result` };
      continue;
    }
    maxAbs = Math.max(maxAbs, Math.abs(p - q));
    maxRef = Math.max(maxRef, Math.abs(p));
    dot += p * q;
    xx += p * p;
    yy += q * q;
  }
  const comparison: OutputComparison = { name, maxAbs, maxRef };
  if (x.length > 1) comparison.cosine = xx === 0 && yy === 0 ? 1 : xx === 0 || yy === 0 ? 0 : Math.min(1, dot / Math.sqrt(xx * yy));
  return comparison;
}

function mergeOutputs(a: OutputComparison, b: OutputComparison): OutputComparison {
  const merged: OutputComparison = { name: a.name, maxAbs: Math.max(a.maxAbs, b.maxAbs), maxRef: Math.max(a.maxRef, b.maxRef) };
  if (a.cosine !== undefined || b.cosine !== undefined) merged.cosine = Math.min(a.cosine ?? 1, b.cosine ?? 1);
  const mismatch = a.mismatch ?? b.mismatch;
  if (mismatch) merged.mismatch = mismatch;
  return merged;
}

/** Within float rounding: every value within the rounding bound of its output. */
export function withinRounding(output: OutputComparison): boolean {
  return !output.mismatch && output.maxAbs <= ROUNDING_ATOL + ROUNDING_RTOL * output.maxRef;
}

function summarize(outputs: OutputComparison[]): IndependentCheck {
  const cosines = outputs.map((output) => output.cosine).filter((value): value is number => value !== undefined);
  const errors = outputs.map((output) => output.maxAbs / Math.max(output.maxRef, ERROR_SCALE_FLOOR));
  const check: IndependentCheck = { fidelity: 'changed', outputs };
  if (cosines.length) check.cosine = Math.min(...cosines);
  if (errors.length) check.error = Math.max(...errors);
  if (outputs.every((output) => !output.mismatch && output.maxAbs === 0)) check.fidelity = 'identical';
  else if (outputs.every(withinRounding)) check.fidelity = 'rounding';
  else if (outputs.every((output) => !output.mismatch)) check.fidelity = 'close';
  return check;
}

function messageOf(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n')[0] ?? text;
}
