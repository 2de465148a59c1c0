import type { ModelRunner, RunnerTensor } from './model-runner';

/** One sample: the inputs fed and the outputs the model gave. */
export interface SampleRun {
  feeds: RunnerTensor[];
  outputs: RunnerTensor[];
}

/** Options of {@link runSamples}. */
export interface RunSamplesOptions {
  /**
   * Whether set `index`'s outputs call for other inputs (`feedsFor` is then asked again with the next
   * attempt number), at most `attempts` times in all; the last attempt is kept whatever it gave.
   */
  redraw?: (outputs: RunnerTensor[], index: number) => boolean;
  attempts?: number;
}

/**
 * Runs a model on `count` sample input sets. A stateless model is loaded once and runs every set; a model with
 * state (see ModelRunner.stateful) is loaded fresh for each set, so every set starts from the same zero state.
 * `feedsFor` picks the inputs of set `index` (0-based, attempt 0 first) on the loaded runner. Always releases
 * what it loaded.
 */
export async function runSamples(
  open: () => Promise<ModelRunner>,
  count: number,
  feedsFor: (runner: ModelRunner, index: number, attempt: number) => RunnerTensor[],
  options: RunSamplesOptions = {},
): Promise<{ runner: Pick<ModelRunner, 'inputs' | 'outputs' | 'runtime'>; runs: SampleRun[]; redrawn: number }> {
  const runs: SampleRun[] = [];
  const first = await open();
  const seen = { runtime: first.runtime, inputs: first.inputs, outputs: first.outputs };
  let runner: ModelRunner | undefined = first;
  let fresh = true;
  let redrawn = 0;
  const attempts = Math.max(1, options.attempts ?? 1);
  try {
    for (let index = 0; index < count; index++) {
      for (let attempt = 0; attempt < attempts; attempt++) {
        if (!fresh && first.stateful) {
          const used: ModelRunner = runner!;
          runner = undefined;
          await used.dispose();
          runner = await open();
        }
        const feeds = feedsFor(runner!, index, attempt);
        const outputs = await runner!.run(feeds);
        fresh = false;
        if (attempt + 1 < attempts && options.redraw?.(outputs, index)) {
          redrawn++;
          continue;
        }
        runs.push({ feeds, outputs });
        break;
      }
    }
  } finally {
    await runner?.dispose();
  }
  return { runner: seen, runs, redrawn };
}
