import type { ModelFormat } from '../formats/model-io';
import { internalError } from '../errors';
import type { RunnerTensor } from './model-runner';
import { runSamples } from './run-samples';
import { diffOutput, type OutputDiff } from './output-diff';
import { profileOutput, type OutputHint } from './output-kind';
import { FLOAT_ROUNDING, type Tolerance } from './tolerance';
import { judgeAll, judgeOutput, type OutputJudgement, type Verdict } from './verdict';
import { createRunnerLoader, openRunner, type RunnerLoader, type RunnerOpenOptions } from './runner-loader';

export { openRunner } from './runner-loader';

const REDRAW_ATTEMPTS = 8;
const REDRAW_SEED_STEP = 1000;

function hasNonFinite(tensor: RunnerTensor): boolean {
  const data = tensor.data;
  if (!(data instanceof Float32Array || data instanceof Float64Array)) return false;
  for (const value of data) if (!Number.isFinite(value)) return true;
  return false;
}

/** One output compared and judged. */
export type JudgedOutput = OutputDiff & OutputJudgement;

/** The outcome of running a candidate model against the reference on the same inputs, judged against a tolerance. */
export interface Verification {
  samples: number;
  outputs: JudgedOutput[];
  /** The worst output's verdict, and its words ("close: cosine 0.9990 (output "scores")"). */
  verdict: Verdict;
  words: string;
  /** Whether every output is within the tolerance it was judged against. */
  passed: boolean;
  tolerance: Tolerance;
  /** Worst values over all outputs and samples (cosine only over outputs that have one). */
  worst: { maxAbs: number; relative: number; cosine?: number; sqnrDb: number };
  /** Where the sample inputs came from. */
  inputs: 'random' | 'data';
}

/** Runs candidates against a reference model on fixed inputs. */
export interface Verifier {
  /** Runs `candidate` on the reference's inputs and judges it against `tolerance` (default: float rounding). */
  verify(candidate: Uint8Array, format: ModelFormat, tolerance?: Tolerance): Promise<Verification>;
  dispose(): Promise<void>;
}

/** Options for {@link createVerifier}. */
export interface VerifierOptions extends RunnerOpenOptions {
  /** Number of sample input sets (default 3). */
  samples?: number;
  /** Real samples for the first input (one per sample set), used instead of generated ones. */
  firstInputSamples?: RunnerTensor[];
  /** What the model says about its outputs, by output name (see outputHints). */
  hints?: Record<string, OutputHint>;
}

/**
 * Runs the reference model on `samples` seeded input sets once and keeps its outputs, and decides from them what
 * each output holds (see profileOutput); each candidate (in either format) then runs on the very same inputs and is
 * compared output by output with the metrics that fit, and judged.
 */
export async function createVerifier(reference: Uint8Array, format: ModelFormat, options: VerifierOptions = {}): Promise<Verifier> {
  const fromData = options.firstInputSamples ?? [];
  const samples = fromData.length || (options.samples ?? 3);
  // A generated input set on which the original itself gives NaN or infinity (an attention mask that hides
  // every position, a log of zero) says nothing about a candidate: such a set is drawn again.
  const referenceRun = await runSamples(
    () => openRunner(reference, format, 'the original model', options),
    samples,
    (runner, index, attempt) => {
      const feeds = runner.sampleFeeds(index + 1 + attempt * REDRAW_SEED_STEP);
      const real = fromData[index];
      return real ? [real, ...feeds.slice(1)] : feeds;
    },
    { attempts: REDRAW_ATTEMPTS, redraw: (outputs, index) => fromData[index] === undefined && outputs.some(hasNonFinite) },
  );
  const runs = referenceRun.runs;
  const loaders = new Map<ModelFormat, RunnerLoader>();
  const loaderFor = (candidateFormat: ModelFormat): RunnerLoader => {
    const loader = loaders.get(candidateFormat) ?? createRunnerLoader(candidateFormat, 'the optimized model', options);
    loaders.set(candidateFormat, loader);
    return loader;
  };
  const outputs = referenceRun.runner.outputs;
  const profiles = outputs.map((output, index) =>
    profileOutput(
      output.name,
      runs.map((run) => run.outputs[index] ?? internalError('the reference run lost an output')),
      output.dtype,
      options.hints?.[output.name],
    ),
  );
  return {
    async verify(candidate, candidateFormat, tolerance = FLOAT_ROUNDING) {
      const tried = await runSamples(
        () => loaderFor(candidateFormat).open(candidate),
        runs.length,
        (_runner, index) => runs[index]!.feeds,
      );
      const results = tried.runs.map((run) => run.outputs);
      const diffs = profiles.map((profile, index) =>
        diffOutput(
          profile,
          runs.map((run) => run.outputs[index] ?? internalError('the reference run lost an output')),
          results.map((result) => result[index]),
        ),
      );
      const judged = diffs.map((diff) => ({ ...diff, ...judgeOutput(diff, tolerance) }));
      const overall = judgeAll(diffs, tolerance);
      const cosines = diffs.map((diff) => diff.cosine).filter((value): value is number => value !== undefined);
      return {
        samples: runs.length,
        outputs: judged,
        verdict: overall.verdict,
        words: overall.words,
        passed: overall.verdict !== 'changed',
        tolerance,
        inputs: fromData.length ? 'data' : 'random',
        worst: {
          maxAbs: Math.max(0, ...diffs.map((o) => o.maxAbs)),
          relative: Math.max(0, ...diffs.map((o) => o.relative)),
          ...(cosines.length ? { cosine: Math.min(...cosines) } : {}),
          sqnrDb: Math.min(Infinity, ...diffs.map((o) => o.sqnrDb)),
        },
      };
    },
    async dispose() {
      runs.length = 0;
      const open = [...loaders.values()];
      loaders.clear();
      await Promise.all(open.map((loader) => loader.dispose()));
    },
  };
}
