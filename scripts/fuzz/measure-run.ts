// Runs one command and measures it from outside: wall time, exit status, and the peak resident
// memory of its whole process tree (itself, its worker threads and every child process), read from
// /proc every few milliseconds. A run over the time or memory limit is killed and reported so.
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/** How one run ended. */
export interface RunMeasure {
  code: number | null;
  signal: string | null;
  ms: number;
  peakRssMb: number;
  /** `time` or `memory` when this harness killed the run. */
  killedFor: 'time' | 'memory' | null;
  stdout: string;
  stderr: string;
}

/** Limits of {@link measureRun}. */
export interface MeasureOptions {
  timeoutMs: number;
  /** Kill the tree when its RSS passes this (a safety net for the machine, not the thing measured). */
  killAboveMb: number;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

const POLL_MS = 25;

/** Runs `command args…` to its end (or a limit) and measures it. */
export function measureRun(command: string, args: string[], options: MeasureOptions): Promise<RunMeasure> {
  const started = Date.now();
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout = (stdout + chunk.toString()).slice(-200_000)));
  child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-200_000)));
  let peak = 0;
  let killedFor: RunMeasure['killedFor'] = null;
  const killTree = (why: 'time' | 'memory'): void => {
    killedFor ??= why;
    try {
      if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  };
  const poll = setInterval(() => {
    if (child.pid === undefined) return;
    const rss = treeRssMb(child.pid);
    peak = Math.max(peak, rss);
    if (rss > options.killAboveMb) killTree('memory');
  }, POLL_MS);
  const timer = setTimeout(() => killTree('time'), options.timeoutMs);
  return new Promise((resolve) => {
    child.on('close', (code, signal) => {
      clearInterval(poll);
      clearTimeout(timer);
      // Children that outlived the parent (they should not) go too.
      killTree('time');
      if (killedFor === 'time' && code !== null) killedFor = null;
      resolve({ code, signal, ms: Date.now() - started, peakRssMb: Math.round(peak), killedFor, stdout, stderr });
    });
  });
}

/**
 * Resident memory of `pid` and all its descendants, in MB (0 when it is gone). Follows the kernel's
 * list of each thread's children, so a poll reads only the tree's own files, not every process's.
 */
export function treeRssMb(pid: number): number {
  let total = 0;
  for (const next of [pid, ...descendants(pid)]) {
    try {
      // statm: size resident shared … in pages
      total += (Number(readFileSync(`/proc/${next}/statm`, 'utf8').split(' ')[1]) * 4096) / 1024 ** 2;
    } catch {
      // the process ended while we looked
    }
  }
  return total;
}

/** The process ids of every descendant of `pid` (children, their children, …). */
export function descendants(pid: number): number[] {
  const found: number[] = [];
  const stack = [pid];
  for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
    try {
      for (const thread of readdirSync(`/proc/${next}/task`)) {
        const children = readFileSync(`/proc/${next}/task/${thread}/children`, 'utf8').trim();
        if (!children) continue;
        const pids = children.split(' ').map(Number);
        found.push(...pids);
        stack.push(...pids);
      }
    } catch {
      // the process (or thread) ended while we looked
    }
  }
  return found;
}
