import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CommandError } from '../../../src/contract';
import type { Progress } from '../../../src/engine/context';
import { JobRunner } from '../../../src/engine/jobs/job-runner';
import { taskRef } from '../../../src/engine/jobs/task-ref';
import { encode, FLOAT, graph, model, node, valueInfo } from '../helpers/onnx-builders';
import type { tasks } from './fixture-tasks';

const FIXTURES = new URL('./fixture-tasks.ts', import.meta.url).href;
const task = <Name extends keyof typeof tasks>(name: Name) => taskRef<typeof tasks, Name>(FIXTURES, name);

async function failure(promise: Promise<unknown>): Promise<CommandError> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(CommandError);
  return error as CommandError;
}

describe('JobRunner', () => {
  it('delivers progress events and the result', async () => {
    const runner = new JobRunner({ concurrency: 2 });
    const seen: Progress[] = [];
    const result = await runner.run(task('countTo'), { n: 4 }, { onProgress: (p) => seen.push(p) });
    expect(result).toEqual({ total: 4 });
    expect(seen.length).toBeGreaterThanOrEqual(2);
    expect(seen.at(-1)).toEqual({ stage: 'counting', fraction: 1 });
  });

  it('cancels a running job cooperatively', async () => {
    const runner = new JobRunner();
    const controller = new AbortController();
    const running = runner.run(task('waitUntilCancelled'), {}, { signal: controller.signal, onProgress: () => controller.abort() });
    const error = await failure(running);
    expect(error.info.code).toBe('cancelled');
  });

  it('terminates a job that ignores cancellation after the grace period', async () => {
    const runner = new JobRunner({ cancelGraceMs: 200 });
    const controller = new AbortController();
    const started = Date.now();
    const running = runner.run(task('spinForever'), {}, { signal: controller.signal, onProgress: () => controller.abort() });
    const error = await failure(running);
    expect(error.info.code).toBe('cancelled');
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('fails only the job whose worker crashes; the next job still runs', async () => {
    const runner = new JobRunner({ concurrency: 1 });
    const crashed = runner.run(task('crash'), {});
    const next = runner.run(task('countTo'), { n: 1 });
    const error = await failure(crashed);
    expect(error.info.code).toBe('runtime-failed');
    expect(error.info.message).toMatch(/exit code 3/);
    await expect(next).resolves.toEqual({ total: 1 });
  });

  it('fails a job that exhausts its memory limit without harming the runner', async () => {
    const runner = new JobRunner({ maxHeapMb: 64 });
    const error = await failure(runner.run(task('allocateTooMuch'), {}));
    expect(error.info.code).toBe('runtime-failed');
    expect(error.info.message).toMatch(/needs more than 0\.1 GB of memory/);
    await expect(runner.run(task('countTo'), { n: 1 })).resolves.toEqual({ total: 1 });
  });

  it('passes engine errors through with their code and file', async () => {
    const runner = new JobRunner();
    const error = await failure(runner.run(task('failWithLitheError'), { file: '/models/a.onnx' }));
    expect(error.info).toEqual({ code: 'corrupt-model', message: '/models/a.onnx: The file is truncated.', file: '/models/a.onnx' });
  });

  it('does not start a job whose signal is already aborted', async () => {
    const runner = new JobRunner();
    const error = await failure(runner.run(task('countTo'), { n: 1 }, { signal: AbortSignal.abort() }));
    expect(error.info.code).toBe('cancelled');
  });

  it('runs at most `concurrency` jobs at once', async () => {
    const runner = new JobRunner({ concurrency: 1 });
    const order: string[] = [];
    const a = runner.run(task('countTo'), { n: 3 }).then(() => order.push('a'));
    const b = runner.run(task('countTo'), { n: 1 }).then(() => order.push('b'));
    await Promise.all([a, b]);
    expect(order).toEqual(['a', 'b']);
  });
});

describe('JobRunner task table', () => {
  it("fails a job whose task is not in the module's table", async () => {
    const runner = new JobRunner();
    const missing = { moduleUrl: FIXTURES, taskName: 'toString' };
    const error = await failure(runner.run(missing, {}));
    expect(error.info.message).toMatch(/has no task named toString/);
  });
});

describe('JobRunner child-process tasks', () => {
  const inChild = (names: string[], maxHeapMb?: number) => new JobRunner({ childTasks: new Set(names), maxHeapMb, cancelGraceMs: 500 });

  it('runs them in a process of their own, with progress and the result', async () => {
    const runner = inChild(['processId', 'countTo']);
    expect(await runner.run(task('processId'), {})).not.toBe(process.pid);
    const seen: Progress[] = [];
    await expect(runner.run(task('countTo'), { n: 2 }, { onProgress: (p) => seen.push(p) })).resolves.toEqual({ total: 2 });
    expect(seen.at(-1)).toEqual({ stage: 'counting', fraction: 1 });
  });

  it('stops one whose resident memory outside the JavaScript heap passes the limit', async () => {
    const runner = inChild(['hoardNativeMemory', 'countTo'], 300);
    const started = Date.now();
    const error = await failure(runner.run(task('hoardNativeMemory'), {}));
    expect(error.info).toMatchObject({ code: 'runtime-failed' });
    expect(error.info.message).toMatch(/needs more than 0\.3 GB of memory/);
    expect(Date.now() - started).toBeLessThan(20_000);
    await expect(runner.run(task('countTo'), { n: 1 })).resolves.toEqual({ total: 1 });
  });

  it('kills one that ignores cancellation, and one that exhausts its heap fails with the limit', async () => {
    const runner = inChild(['spinForever', 'allocateTooMuch'], 128);
    const controller = new AbortController();
    const spinning = runner.run(task('spinForever'), {}, { signal: controller.signal, onProgress: () => controller.abort() });
    expect((await failure(spinning)).info.code).toBe('cancelled');
    expect((await failure(runner.run(task('allocateTooMuch'), {}))).info.message).toMatch(/needs more than 0\.1 GB/);
  });

  it('lets a job raise its limit by its model’s activations, which the host never reads', { timeout: 60_000 }, async () => {
    // x[1,16,1024,1024] → Relu → Relu: 64 MB tensors, a 1 KB file. The host starts the job at the file-size rule
    // (768 MB); the job adds 6 × (input + 2 intermediates) = 1.1 GB and may then hold 900 MB natively.
    const dir = mkdtempSync(join(tmpdir(), 'lithe-job-memory-'));
    try {
      const file = join(dir, 'wide.onnx');
      const bytes = encode(
        model(
          graph({
            node: [node('Relu', ['x'], ['a']), node('Relu', ['a'], ['y'])],
            input: [valueInfo('x', FLOAT, [1, 16, 1024, 1024])],
            output: [valueInfo('y', FLOAT, [1, 16, 1024, 1024])],
          }),
        ),
      );
      writeFileSync(file, bytes);
      await expect(inChild(['hoardThenFinish']).run(task('hoardThenFinish'), { model: file, mb: 900 })).resolves.toBe(928);
      // A limit the runner was given stays fixed.
      const fixed = await failure(inChild(['hoardThenFinish'], 600).run(task('hoardThenFinish'), { model: file, mb: 900 }));
      expect(fixed.info.message).toMatch(/needs more than 0\.6 GB of memory/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
