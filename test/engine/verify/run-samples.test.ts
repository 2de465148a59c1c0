import { describe, expect, it } from 'vitest';
import { writeTflite } from '../../../src/engine/formats/tflite';
import type { ModelRunner } from '../../../src/engine/verify/model-runner';
import { runSamples } from '../../../src/engine/verify/run-samples';
import { createTfliteRunner } from '../../../src/engine/verify/tflite-runner';
import { addModel, tensor } from '../helpers/tflite-builders';
import { at } from '../../helpers/at';

/** Opens a TFLite runner on `bytes` and counts how often it was loaded. */
function counted(bytes: Uint8Array): { open: () => Promise<ModelRunner>; loads: () => number } {
  let loads = 0;
  return {
    open: () => {
      loads++;
      return createTfliteRunner(bytes, { role: 'the test model' });
    },
    loads: () => loads,
  };
}

describe('runSamples', () => {
  it('loads a stateless model once for every sample, and each sample gets its own answer', async () => {
    const model = counted(writeTflite(addModel([1, 3])));
    const { runs } = await runSamples(model.open, 3, (runner, index) => runner.sampleFeeds(index + 1));
    expect(model.loads()).toBe(1);
    expect(runs).toHaveLength(3);
    for (const run of runs) {
      const [a, b] = run.feeds.map((feed) => Array.from(feed.data as Float32Array));
      const y = Array.from(at(run.outputs, 0).data as Float32Array);
      y.forEach((value, i) => expect(value).toBeCloseTo(at(a!, i) + at(b!, i), 6));
    }
    expect(at(runs, 0).feeds[0]!.data).not.toEqual(at(runs, 1).feeds[0]!.data);
  });

  it('loads a model with variable tensors fresh for every sample', async () => {
    const stateful = addModel([1, 3]);
    stateful.subgraphs[0]!.tensors.push(tensor('state', [1, 3], undefined, { isVariable: true }));
    const model = counted(writeTflite(stateful));
    const { runs } = await runSamples(model.open, 3, (runner, index) => runner.sampleFeeds(index + 1));
    expect(model.loads()).toBe(3);
    expect(runs).toHaveLength(3);
  });
});
