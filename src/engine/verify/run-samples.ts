import type { ModelRunner, RunnerTensor } from './model-runner';

/** One sample: the inputs fed and the outputs the model gave. */
export interface SampleRun {
  feeds: RunnerTensor[];
  outputs: RunnerTensor[];
}

/**
 * Runs a model on `count` sample input sets. A stateless model is loaded once and runs every set; a model with
 * state (see ModelRunner.stateful) is loaded fresh for each set, so every set starts from the same zero state.
 * `feedsFor` picks the inputs of set `index` (0-based) on the loaded runner. Always releases what it loaded.
 */
export async function runSamples(
  open: () => Promise<ModelRunner>,
  count: number,
  feedsFor: (runner: ModelRunner, index: number) => RunnerTensor[],
): Promise<{ runner: Pick<ModelRunner, 'inputs' | 'outputs' | 'runtime'>; runs: SampleRun[] }> {
  const runs: SampleRun[] = [];
  const first = await open();
  const seen = { runtime: first.runtime, inputs: first.inputs, outputs: first.outputs };
  let runner: ModelRunner | undefined = first;
  try {
    for (let index = 0; index < count; index++) {
      if (index > 0 && first.stateful) {
        const used: ModelRunner = runner!;
        runner = undefined;
        await used.dispose();
        runner = await open();
      }
      const feeds = feedsFor(runner!, index);
      runs.push({ feeds, outputs: await runner!.run(feeds) });
    }
  } finally {
    await runner?.dispose();
  }
  return { runner: seen, runs };
}
