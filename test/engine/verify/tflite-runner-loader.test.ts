import { describe, expect, it } from 'vitest';
import { LitheError } from '../../../src/engine/errors';
import { writeTflite } from '../../../src/engine/formats/tflite';
import { createRunnerLoader } from '../../../src/engine/verify/runner-loader';
import { createTfliteRunner } from '../../../src/engine/verify/tflite-runner';
import type { ModelRunner, RunnerTensor } from '../../../src/engine/verify/model-runner';
import { addModel, smallCnnModel } from '../helpers/tflite-builders';
import { at } from '../../helpers/at';

async function outputsOf(runner: ModelRunner, seed: number): Promise<number[][]> {
  const outputs: RunnerTensor[] = await runner.run(runner.sampleFeeds(seed));
  return outputs.map((output) => Array.from(output.data as Float32Array));
}

describe('TFLite runner loader (one worker for model after model)', () => {
  it('runs each model it opens exactly as a runner of its own does', async () => {
    const cnn = writeTflite(smallCnnModel());
    const add = writeTflite(addModel([1, 3]));
    const alone = await createTfliteRunner(cnn, { role: 'the reference' });
    const expected = await outputsOf(alone, 4);
    await alone.dispose();

    const loader = createRunnerLoader('tflite', 'a candidate');
    try {
      for (const bytes of [cnn, add, cnn]) {
        const runner = await loader.open(bytes);
        if (bytes === cnn) {
          expect(runner.inputs.map((i) => i.name)).toEqual(['image']);
          expect(await outputsOf(runner, 4)).toEqual(expected);
        } else {
          const [a, b] = runner.sampleFeeds(1).map((feed) => Array.from(feed.data as Float32Array));
          const [y] = await outputsOf(runner, 1);
          y!.forEach((value, i) => expect(value).toBeCloseTo(at(a!, i) + at(b!, i), 6));
        }
        await runner.dispose();
      }
    } finally {
      await loader.dispose();
    }
  });

  it('gives a second runner open at the same time its own worker, and a disposed runner runs no more', async () => {
    const loader = createRunnerLoader('tflite', 'a candidate');
    try {
      const first = await loader.open(writeTflite(smallCnnModel()));
      const second = await loader.open(writeTflite(addModel([1, 3])));
      expect(first.inputs.map((i) => i.name)).toEqual(['image']);
      expect((await outputsOf(first, 2))[0]).toHaveLength(5);
      expect((await outputsOf(second, 2))[0]).toHaveLength(3);
      await second.dispose();
      await first.dispose();
      await expect(first.run(first.sampleFeeds(1))).rejects.toThrow(LitheError);
      await expect(first.run(first.sampleFeeds(1))).rejects.toThrow(/disposed/);
    } finally {
      await loader.dispose();
    }
  });

  it('names the file when a model it opens is corrupt, and opens the next one', async () => {
    const loader = createRunnerLoader('tflite', 'a candidate', { file: 'candidate.tflite' });
    try {
      const runner = await loader.open(writeTflite(addModel([1, 3])));
      await runner.dispose();
      await expect(loader.open(writeTflite(addModel([1, 3])).slice(0, 40))).rejects.toThrow(/^candidate\.tflite: /);
      const next = await loader.open(writeTflite(smallCnnModel()));
      expect((await outputsOf(next, 3))[0]).toHaveLength(5);
      await next.dispose();
    } finally {
      await loader.dispose();
    }
  });
});
