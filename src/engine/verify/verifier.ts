import type { ModelFormat } from '../formats/model-io';
import type { ModelRunner, RunnerTensor } from './model-runner';
import { diffOutputs, type OutputDiff } from './output-diff';
import { createOrtRunner } from './ort-runner';
import { createTfliteRunner } from './tflite-runner';

/** The outcome of running a candidate model against the reference on the same inputs. */
export interface Verification {
  samples: number;
  outputs: OutputDiff[];
  /** Worst values over all outputs and samples. */
  worst: { maxAbs: number; relative: number; cosine: number; sqnrDb: number };
  /** Where the sample inputs came from. */
  inputs: 'random' | 'data';
}

/** Runs candidates against a reference model on fixed inputs. */
export interface Verifier {
  verify(candidate: Uint8Array, format: ModelFormat): Promise<Verification>;
  dispose(): Promise<void>;
}

/** Options for {@link createVerifier}. */
export interface VerifierOptions {
  /** Number of sample input sets (default 3). */
  samples?: number;
  /** Sizes for dynamic dimensions, by dimension name or `input:axis` (see planInputs). */
  dims?: Record<string, number>;
  /** File name for error messages. */
  file?: string;
  /** Real samples for the first input (one per sample set), used instead of generated ones. */
  firstInputSamples?: RunnerTensor[];
}

/** Loads model bytes in the runtime for its format: onnxruntime for ONNX, the TFLite runtime for TFLite. */
export function openRunner(bytes: Uint8Array, format: ModelFormat, role: string, options: VerifierOptions = {}): Promise<ModelRunner> {
  return format === 'onnx'
    ? createOrtRunner(bytes, { file: options.file, role, dims: options.dims })
    : createTfliteRunner(bytes, { file: options.file, role });
}

/**
 * Runs the reference model on `samples` seeded input sets once and keeps its outputs; each
 * candidate (in either format) then runs on the very same inputs and is compared output by output.
 */
export async function createVerifier(reference: Uint8Array, format: ModelFormat, options: VerifierOptions = {}): Promise<Verifier> {
  const fromData = options.firstInputSamples ?? [];
  const samples = fromData.length || (options.samples ?? 3);
  const runs: Array<{ feeds: RunnerTensor[]; outputs: RunnerTensor[] }> = [];
  let outputNames: string[] = [];
  for (let seed = 1; seed <= samples; seed++) {
    const result = await runFresh(reference, format, 'the original model', options, (runner) => {
      outputNames = runner.outputs.map((output) => output.name);
      const feeds = runner.sampleFeeds(seed);
      const real = fromData[seed - 1];
      return real ? [real, ...feeds.slice(1)] : feeds;
    });
    runs.push(result);
  }
  return {
    async verify(candidate, candidateFormat) {
      const byName = new Map<string, OutputDiff>();
      for (const run of runs) {
        const { outputs } = await runFresh(candidate, candidateFormat, 'the optimized model', options, () => run.feeds);
        run.outputs.forEach((expected, index) => {
          const name = outputNames[index] ?? `output ${index}`;
          const actual = outputs[index];
          const diff: OutputDiff = actual
            ? diffOutputs(name, expected, actual)
            : { name, maxAbs: Infinity, relative: Infinity, cosine: 0, sqnrDb: -Infinity, mismatch: 'the output is missing' };
          byName.set(name, worse(byName.get(name), diff));
        });
      }
      const outputs = [...byName.values()];
      return {
        samples: runs.length,
        outputs,
        inputs: fromData.length ? 'data' : 'random',
        worst: {
          maxAbs: Math.max(0, ...outputs.map((o) => o.maxAbs)),
          relative: Math.max(0, ...outputs.map((o) => o.relative)),
          cosine: Math.min(1, ...outputs.map((o) => o.cosine)),
          sqnrDb: Math.min(Infinity, ...outputs.map((o) => o.sqnrDb)),
        },
      };
    },
    async dispose() {
      runs.length = 0;
    },
  };
}

/**
 * Loads a model, runs it once and releases it: every sample starts from a fresh runtime, so models
 * with recurrent state (TFLite variable tensors) are compared from the same zero state.
 */
async function runFresh(
  bytes: Uint8Array,
  format: ModelFormat,
  role: string,
  options: VerifierOptions,
  feedsFor: (runner: ModelRunner) => RunnerTensor[],
): Promise<{ feeds: RunnerTensor[]; outputs: RunnerTensor[] }> {
  const runner = await openRunner(bytes, format, role, options);
  try {
    const feeds = feedsFor(runner);
    return { feeds, outputs: await runner.run(feeds) };
  } finally {
    await runner.dispose();
  }
}

function worse(previous: OutputDiff | undefined, next: OutputDiff): OutputDiff {
  if (!previous) return next;
  const merged: OutputDiff = {
    name: next.name,
    maxAbs: Math.max(previous.maxAbs, next.maxAbs),
    relative: Math.max(previous.relative, next.relative),
    cosine: Math.min(previous.cosine, next.cosine),
    sqnrDb: Math.min(previous.sqnrDb, next.sqnrDb),
  };
  const agreement = [previous.top1Agreement, next.top1Agreement].filter((value): value is number => value !== undefined);
  if (agreement.length) merged.top1Agreement = agreement.reduce((a, b) => a + b, 0) / agreement.length;
  const mismatch = previous.mismatch ?? next.mismatch;
  if (mismatch) merged.mismatch = mismatch;
  return merged;
}
