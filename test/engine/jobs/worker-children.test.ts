import { describe, expect, it } from 'vitest';
import { CommandError } from '../../../src/contract';
import { JobRunner } from '../../../src/engine/jobs/job-runner';
import { taskRef } from '../../../src/engine/jobs/task-ref';
import { listsChildren, processExists, unreapedChildren } from '../../helpers/child-processes';
import type { tasks } from './child-fixture-tasks';

// A child process is reaped only by the thread that forked it. A job's worker that forks one (a
// benchmark does) and is then terminated used to leave it behind as a zombie in the host, one per
// such cancel for as long as the host lived. These jobs start a child that never ends by itself.
const FIXTURES = new URL('./child-fixture-tasks.ts', import.meta.url).href;
const task = <Name extends keyof typeof tasks>(name: Name) => taskRef<typeof tasks, Name>(FIXTURES, name);

describe.runIf(listsChildren)("a job worker's own child processes", { timeout: 60_000 }, () => {
  it('are killed and reaped before a job stopped by force ends', async () => {
    const runner = new JobRunner({ cancelGraceMs: 100 });
    const controller = new AbortController();
    let pid = 0;
    const error = await runner
      .run(
        task('forkStubbornChildAndHang'),
        {},
        {
          signal: controller.signal,
          onProgress: (progress) => {
            pid = Number(progress.message);
            controller.abort();
          },
        },
      )
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(CommandError);
    expect((error as CommandError).info.message).toBe('The job was cancelled (stopped by force).');
    expect(pid).toBeGreaterThan(0);
    expect(processExists(pid)).toBe(false);
    expect(unreapedChildren().map((child) => child.pid)).not.toContain(pid);
  });

  it('are reaped when the task returns and leaves one running', async () => {
    const runner = new JobRunner();
    const pid = await runner.run(task('forkStubbornChildAndReturn'), {});
    // The result comes first; the worker stops its leftover child before the thread ends.
    await expect.poll(() => processExists(pid), { timeout: 10_000 }).toBe(false);
  });

  it('are reaped when the runner closes', async () => {
    const runner = new JobRunner();
    let pid = 0;
    const running = runner.run(task('forkStubbornChildAndHang'), {}, { onProgress: (progress) => (pid = Number(progress.message)) });
    running.catch(() => undefined);
    await expect.poll(() => pid, { timeout: 30_000 }).toBeGreaterThan(0);
    await runner.close();
    expect(processExists(pid)).toBe(false);
  });
});
