import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CommandError } from '../../../src/contract';
import { JobRunner } from '../../../src/engine/jobs/job-runner';
import { engineTask } from '../../../src/engine/jobs/task-ref';
import { childProcessTasks } from '../../../src/engine/tasks';
import { encode, expandBranchesModel, FLOAT, floatTensor, graph, model, node, valueInfo } from '../helpers/onnx-builders';

// Every engine task that runs ONNX Runtime on the user's model must run where its native memory is
// watched: `convert` runs the model to observe shapes and to check the conversion.
describe('engine tasks that run the model natively', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lithe-native-memory-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('includes convert, distill and recover with optimize, evaluate and train', () => {
    expect([...childProcessTasks].sort()).toEqual(['convert', 'distill', 'evaluate', 'optimize', 'recover', 'train']);
  });

  it('stops a conversion whose model needs more native memory than the limit', { timeout: 120_000 }, async () => {
    const input = join(dir, 'expand.onnx');
    writeFileSync(input, encode(expandBranchesModel()));
    const runner = new JobRunner({ concurrency: 1, childTasks: childProcessTasks, maxHeapMb: 600 });
    try {
      const error = await runner.run(engineTask('convert'), { input, output: join(dir, 'expand.tflite') }).then(
        () => undefined,
        (caught: unknown) => caught,
      );
      expect(error).toBeInstanceOf(CommandError);
      expect((error as CommandError).info.message).toMatch(/needs more than 0\.6 GB of memory, the limit for one job/);
    } finally {
      await runner.close();
    }
  });

  it('refuses an optimize whose one Range of 2^34 floats no job may hold, before running anything', { timeout: 60_000 }, async () => {
    const input = join(dir, 'range.onnx');
    const range = graph({
      node: [node('Range', ['start', 'limit', 'delta'], ['y'])],
      initializer: [floatTensor('start', [], [0]), floatTensor('limit', [], [2 ** 34]), floatTensor('delta', [], [1])],
      output: [valueInfo('y', FLOAT, ['n'])],
    });
    writeFileSync(input, encode(model(range)));
    const outDir = join(dir, 'range-run');
    const runner = new JobRunner({ concurrency: 1, childTasks: childProcessTasks });
    try {
      const error = await runner.run(engineTask('optimize'), { model: input, outDir, recipe: 'graph' }).then(
        () => undefined,
        (caught: unknown) => caught,
      );
      expect(error).toBeInstanceOf(CommandError);
      expect((error as CommandError).info).toMatchObject({ code: 'runtime-failed', file: input });
      expect((error as CommandError).info.message).toMatch(
        /needs about 384\.\d GB of memory, more than the .* one job may use, so it was not run/,
      );
      expect(existsSync(outDir)).toBe(false);
    } finally {
      await runner.close();
    }
  });
});
