// What a cancelled fuzz run must not leave behind: files in its work folder other than the mutant
// (an output, a hidden temporary file or half-written run folder), or processes of the host that
// outlive the job. Both are looked for after a short settling time, as a user would see them.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { descendants } from './measure-run';

/** A seeded draw of which runs are cancelled, and when; its own stream, so the mutants stay the same. */
export interface CancelPlan {
  /** The fraction of runs cancelled (0 = none). */
  fraction: number;
  /** A cancelled run is cancelled at a moment drawn evenly from 0 to this many ms after its start. */
  withinMs: number;
}

/** The moment (ms after its start) the next run is cancelled at, or undefined when it runs to its end. */
export function cancelMoment(plan: CancelPlan, random: () => number): number | undefined {
  const pick = random();
  const moment = Math.round(random() * plan.withinMs);
  return pick < plan.fraction ? moment : undefined;
}

/** Paths under `workDir` (relative to it, hidden ones included) other than `keep`. */
export function leftovers(workDir: string, keep: string): string[] {
  return readdirSync(workDir, { recursive: true, withFileTypes: true })
    .map((entry) => join(entry.parentPath, entry.name))
    .filter((path) => path !== keep)
    .map((path) => relative(workDir, path));
}

/**
 * Waits up to `settleMs` for the work folder to hold only the mutant and for the host to have no
 * child processes left running; returns what is still there then (empty when clean). A process that
 * ended but was not reaped (a zombie: a benchmark child whose worker thread was terminated first)
 * runs nothing and holds no memory, so it does not count.
 */
export async function cancelLeftovers(workDir: string, mutant: string, settleMs = 8000): Promise<string[]> {
  const deadline = Date.now() + settleMs;
  for (;;) {
    const files = leftovers(workDir, mutant);
    // tsx's esbuild service runs this script's TypeScript: the harness's own, not the host's.
    const processes = descendants(process.pid).filter((pid) => !isZombie(pid) && !commandLine(pid).includes('esbuild'));
    if ((files.length === 0 && processes.length === 0) || Date.now() >= deadline)
      return [...files.map((file) => `left ${file}`), ...processes.map((pid) => `process ${pid} (${commandLine(pid)}) still running`)];
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The program and script of process `pid` ("node …/job-child.js"), or "gone". */
function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).slice(0, 3).join(' ').slice(0, 160);
  } catch {
    return 'gone';
  }
}

/** Whether process `pid` has ended but was not reaped by its parent (state Z), or is gone. */
export function isZombie(pid: number): boolean {
  try {
    // stat: pid (comm) state …; comm may hold spaces and parentheses, the state follows the last ")".
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) === 'Z';
  } catch {
    return true;
  }
}
