import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cancelLeftovers, cancelMoment, isZombie, leftovers } from '../../scripts/fuzz/cancel-check';
import { descendants } from '../../scripts/fuzz/measure-run';
import { seeded } from '../../scripts/fuzz/mutate';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
const workDir = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'lithe-cancel-check-'));
  dirs.push(dir);
  return dir;
};

describe('the fuzz campaign’s cancel checks', () => {
  it('cancels about the asked fraction of runs, at moments within the bound', () => {
    const random = seeded(3);
    const moments = Array.from({ length: 2000 }, () => cancelMoment({ fraction: 0.25, withinMs: 5000 }, random));
    const cancelled = moments.filter((m) => m !== undefined);
    expect(cancelled.length / moments.length).toBeGreaterThan(0.2);
    expect(cancelled.length / moments.length).toBeLessThan(0.3);
    expect(Math.min(...cancelled)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...cancelled)).toBeLessThanOrEqual(5000);
    expect(moments.every((m) => m === undefined || Number.isInteger(m))).toBe(true);
  });

  it('with fraction 0 cancels nothing', () => {
    const random = seeded(1);
    expect(Array.from({ length: 100 }, () => cancelMoment({ fraction: 0, withinMs: 100 }, random)).every((m) => m === undefined)).toBe(
      true,
    );
  });

  it('finds hidden temporary files and half-written folders beside the mutant', () => {
    const dir = workDir();
    const mutant = join(dir, 'mutant.onnx');
    writeFileSync(mutant, 'x');
    expect(leftovers(dir, mutant)).toEqual([]);
    writeFileSync(join(dir, '.converted.tflite.0a1b2c3d.tmp'), 'half');
    mkdirSync(join(dir, '.run.partial-abcdef-1-0a1b2c3d'));
    expect(leftovers(dir, mutant).sort()).toEqual(['.converted.tflite.0a1b2c3d.tmp', '.run.partial-abcdef-1-0a1b2c3d']);
  });

  it('names a child process of the host that outlives the job', async () => {
    const dir = workDir();
    const mutant = join(dir, 'mutant.onnx');
    writeFileSync(mutant, 'x');
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 20000)'], { stdio: 'ignore' });
    try {
      const left = await cancelLeftovers(dir, mutant, 300);
      expect(left).toHaveLength(1);
      expect(left[0]).toMatch(new RegExp(`^process ${child.pid} \\(.*node.*\\) still running$`));
    } finally {
      child.kill('SIGKILL');
    }
    await new Promise((resolve) => child.once('exit', resolve));
    expect(await cancelLeftovers(dir, mutant, 300)).toEqual([]);
  });

  it('does not count a child that ended but was not reaped (a zombie) as running', async () => {
    // `sleep 0` ends at once; its parent became `sleep 3` by exec, which never reaps it.
    const parent = spawn('sh', ['-c', 'sleep 0 & exec sleep 3'], { stdio: 'ignore' });
    try {
      await new Promise((resolve) => setTimeout(resolve, 500));
      const [zombie] = descendants(parent.pid ?? 0);
      expect(zombie).toBeDefined();
      expect(isZombie(zombie ?? 0)).toBe(true);
      expect(isZombie(parent.pid ?? 0)).toBe(false);
    } finally {
      parent.kill('SIGKILL');
    }
  });
});
