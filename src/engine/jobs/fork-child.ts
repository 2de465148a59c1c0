import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** Whether the child entry `entry` exists (a build may leave it out; callers then run in a thread). */
export function childEntryExists(entry: URL): boolean {
  return existsSync(fileURLToPath(entry));
}

// The children this thread started that have not been reaped yet. A child process is reaped (its
// exit status collected, its process-table entry freed) by the event loop of the thread that forked
// it, and by no other: a worker thread terminated while its child still runs leaves that child
// behind as a zombie in the host for as long as the host lives. A job's worker therefore stops and
// reaps its children (stopForkedChildren) before it lets its parent terminate it.
const unreaped = new Set<ChildProcess>();

/**
 * Starts `entry` (a job or benchmark child) as a Node process with an IPC channel: the tsx loader
 * when it is TypeScript, and a JavaScript heap of `heapLimitBytes` when given. Its stderr is piped
 * (the supervisor keeps its last lines), its stdout ignored.
 */
export function forkEngineChild(entry: URL, heapLimitBytes?: number): ChildProcess {
  const execArgv: string[] = [];
  if (entry.pathname.endsWith('.ts')) {
    const tsxDir = dirname(createRequire(import.meta.url).resolve('tsx/package.json'));
    execArgv.push('--import', pathToFileURL(join(tsxDir, 'dist', 'loader.mjs')).href);
  }
  if (heapLimitBytes !== undefined) execArgv.push(`--max-old-space-size=${Math.max(64, Math.round(heapLimitBytes / 1024 ** 2))}`);
  const child = fork(fileURLToPath(entry), [], { execArgv, stdio: ['ignore', 'ignore', 'pipe', 'ipc'], serialization: 'advanced' });
  unreaped.add(child);
  // 'exit' comes once the child has been reaped; 'error' without a pid: it never started.
  child.once('exit', () => unreaped.delete(child));
  child.once('error', () => {
    if (child.pid === undefined) unreaped.delete(child);
  });
  return child;
}

/**
 * Resolves once `child` has ended and been reaped: it is first let go (its channel closed: an engine
 * child then cancels its task, removes what it was writing and exits) and killed if it has not
 * ended `graceMs` later. A child that has already been reaped resolves at once.
 */
export function reapChild(child: ChildProcess, graceMs: number): Promise<void> {
  return new Promise<void>((resolve) => {
    if (!unreaped.has(child)) return resolve();
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    if (child.connected) child.disconnect();
  });
}

/** {@link reapChild} for every child this thread started that is not reaped yet. */
export async function stopForkedChildren(graceMs: number): Promise<void> {
  await Promise.all([...unreaped].map((child) => reapChild(child, graceMs)));
}

/**
 * Resolves once every message `child` sent has been read (its channel closed: after a child is
 * reaped, what it wrote last may still be on the way), or `waitMs` later.
 */
export function channelDrained(child: ChildProcess, waitMs = 1000): Promise<void> {
  return new Promise<void>((resolve) => {
    if (!child.connected) return resolve();
    const timer = setTimeout(resolve, waitMs);
    child.once('disconnect', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}
