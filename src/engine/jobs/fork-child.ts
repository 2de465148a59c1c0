import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** Whether the child entry `entry` exists (a build may leave it out; callers then run in a thread). */
export function childEntryExists(entry: URL): boolean {
  return existsSync(fileURLToPath(entry));
}

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
  return fork(fileURLToPath(entry), [], { execArgv, stdio: ['ignore', 'ignore', 'pipe', 'ipc'], serialization: 'advanced' });
}
