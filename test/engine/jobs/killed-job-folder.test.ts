import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CommandError } from '../../../src/contract';
import type { Progress } from '../../../src/engine/context';
import { forkEngineChild } from '../../../src/engine/jobs/fork-child';
import { JobRunner } from '../../../src/engine/jobs/job-runner';
import { jobReply } from '../../../src/engine/jobs/supervise';
import { taskRef } from '../../../src/engine/jobs/task-ref';
import { ownedFolderName } from '../../../src/engine/optimize/abandoned-folders';
import type { tasks } from './writing-fixture-tasks';

// A job stopped by force while it writes its run folder: once it is gone, its host (the CLI or
// `lithe serve`, through the job runner) removes the hidden `.partial-` folder it was writing — and
// nothing else: the user's files, an earlier run and another run's folder in progress stay.

const FIXTURES = new URL('./writing-fixture-tasks.ts', import.meta.url).href;
const task = <Name extends keyof typeof tasks>(name: Name) => taskRef<typeof tasks, Name>(FIXTURES, name);
const JOB_CHILD = new URL('../../../src/engine/jobs/job-child.ts', import.meta.url);

let dir: string;
let othersRun: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'lithe-killed-job-'));
  writeFileSync(join(dir, 'model.onnx'), 'the user model');
  writeFileSync(join(dir, 'notes.txt'), 'precious');
  mkdirSync(join(dir, 'earlier'));
  writeFileSync(join(dir, 'earlier', 'report.json'), '{}');
  // A run folder another Lithe job of this (live) process is writing.
  othersRun = join(dir, ownedFolderName('other', 'partial'));
  mkdirSync(othersRun);
  writeFileSync(join(othersRun, 'model.onnx'), 'half');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** What the test put in `dir`, and that it is unchanged. */
function expectUserFilesUntouched(): void {
  expect(readdirSync(dir).sort()).toEqual([`${othersRun.slice(dir.length + 1)}`, 'earlier', 'model.onnx', 'notes.txt'].sort());
  expect(readFileSync(join(dir, 'model.onnx'), 'utf8')).toBe('the user model');
  expect(readFileSync(join(dir, 'notes.txt'), 'utf8')).toBe('precious');
  expect(readdirSync(join(dir, 'earlier'))).toEqual(['report.json']);
  expect(readFileSync(join(othersRun, 'model.onnx'), 'utf8')).toBe('half');
}

/** Runs the writing task, cancels it once it is writing, and returns the folder it wrote into and the error. */
async function killWhileWriting(runner: JobRunner): Promise<{ partial: string; error: unknown }> {
  const controller = new AbortController();
  let partial = '';
  const onProgress = (progress: Progress): void => {
    if (progress.stage !== 'writing') return;
    partial = progress.message ?? '';
    expect(existsSync(partial)).toBe(true);
    controller.abort();
  };
  const error = await runner
    .run(task('writeRunFolderAndHang'), { target: join(dir, 'run') }, { signal: controller.signal, onProgress })
    .then(
      () => null,
      (caught: unknown) => caught,
    );
  return { partial, error };
}

describe('a job stopped by force while it writes its run folder', () => {
  for (const where of ['child process', 'worker thread'] as const) {
    it(`leaves no hidden folder once it is gone (${where}), and touches nothing else`, { timeout: 30_000 }, async () => {
      const childTasks = new Set(where === 'child process' ? ['writeRunFolderAndHang'] : []);
      const { partial, error } = await killWhileWriting(new JobRunner({ childTasks, cancelGraceMs: 300 }));
      expect(error).toBeInstanceOf(CommandError);
      expect((error as CommandError).info.message).toMatch(/stopped by force/);
      expect(partial).toMatch(/\.run\.partial-/);
      expect(existsSync(partial)).toBe(false);
      expectUserFilesUntouched();
    });
  }

  it('leaves no hidden folder when the host closes its runner mid-write', { timeout: 30_000 }, async () => {
    const runner = new JobRunner({ childTasks: new Set(['writeRunFolderAndHang']), cancelGraceMs: 300 });
    let partial = '';
    const closed = new Promise<void>((resolve) => {
      const onProgress = (progress: Progress): void => {
        partial = progress.message ?? '';
        void runner.close().then(resolve);
      };
      void runner.run(task('writeRunFolderAndHang'), { target: join(dir, 'run') }, { onProgress }).catch(() => undefined);
    });
    await closed;
    expect(partial).toMatch(/\.run\.partial-/);
    expect(existsSync(partial)).toBe(false);
    expectUserFilesUntouched();
  });

  it('never removes a path the job names that is not its own hidden folder', { timeout: 30_000 }, async () => {
    const runner = new JobRunner({ childTasks: new Set(['claimOthersAndHang']), cancelGraceMs: 300 });
    const controller = new AbortController();
    const paths = [dir, join(dir, 'earlier'), join(dir, 'notes.txt'), othersRun];
    const onProgress = (): void => controller.abort();
    await runner.run(task('claimOthersAndHang'), { paths }, { signal: controller.signal, onProgress }).catch(() => undefined);
    expectUserFilesUntouched();
  });

  it('removes it itself when its host is gone (the channel closed) and it does not stop', { timeout: 30_000 }, async () => {
    const child = forkEngineChild(JOB_CHILD);
    let partial = '';
    const writing = new Promise<void>((resolve) =>
      child.on('message', (raw) => {
        const message = jobReply(raw);
        if (message?.type === 'progress' && message.progress.stage === 'writing') {
          partial = message.progress.message ?? '';
          resolve();
        }
      }),
    );
    child.send({ type: 'start', start: { moduleUrl: FIXTURES, taskName: 'writeRunFolderAndHang', args: { target: join(dir, 'run') } } });
    await writing;
    expect(existsSync(partial)).toBe(true);
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.disconnect();
    expect(await exited).toBe(130);
    expect(existsSync(partial)).toBe(false);
    expectUserFilesUntouched();
  });
});
