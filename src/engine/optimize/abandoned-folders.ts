import { createHash, randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { lstat, readdir, rename, rm, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';

// Half-written run folders are hidden siblings of their target, named after the process writing
// them: `.<name>.partial-<host>-<pid>-<random>` (and `.old-` for a run being replaced). One whose
// process is gone from this machine was abandoned (the process was killed) and is removed at once
// when Lithe next writes beside it; one from another machine (a shared drive) only after an hour.
// An abandoned `.old-` folder whose target is missing is the earlier run of a replacement killed
// between its two renames: it is put back, not removed. The host of a job removes the `.partial-`
// folder of a job it killed as soon as the job is gone (removeOwnedPartial, see jobs/temporaries.ts).

const HOST = createHash('sha256').update(hostname()).digest('hex').slice(0, 6);
const PATTERN = /^\..+\.(partial|old)-(?:([0-9a-f]{6})-(\d+)-)?[0-9a-f]{8}$/;
const STALE_AFTER_MS = 60 * 60 * 1000;

/** The hidden name of a `kind` folder beside `name`, owned by this process. */
export function ownedFolderName(name: string, kind: 'partial' | 'old'): string {
  return `.${name}.${kind}-${HOST}-${process.pid}-${randomBytes(4).toString('hex')}`;
}

/**
 * Removes the folder at `path` if its name is a `.partial-` folder of process `pid` on this machine
 * (see {@link ownedFolderName}); anything else is left alone. Resolves with whether it was removed.
 */
export async function removeOwnedPartial(path: string, pid: number): Promise<boolean> {
  const match = PATTERN.exec(basename(path));
  if (match?.[1] !== 'partial' || match[2] !== HOST || match[3] !== String(pid)) return false;
  if (!(await lstat(path).catch(() => undefined))?.isDirectory()) return false;
  await rm(path, { recursive: true, force: true });
  return true;
}

/** Whether the folder named `name` is one of Lithe's half-written folders whose writer is gone. */
export async function isAbandoned(path: string, name: string): Promise<boolean> {
  const match = PATTERN.exec(name);
  if (!match) return false;
  const [, , host, pid] = match;
  if (host === HOST && pid !== undefined) return !isAlive(Number(pid));
  try {
    return Date.now() - (await stat(path)).mtimeMs > STALE_AFTER_MS;
  } catch {
    return false;
  }
}

/** Removes abandoned half-written run folders in `dir` (and below it when `recursive`). */
export async function removeAbandonedFolders(dir: string, recursive = false): Promise<void> {
  let entries;
  try {
    entries = await readdir(dir, { recursive, withFileTypes: true });
  } catch {
    return;
  }
  for (const entry of entries) {
    if (!entry.isDirectory()) continue;
    const path = join(entry.parentPath, entry.name);
    if (!(await isAbandoned(path, entry.name))) continue;
    const replaced =
      PATTERN.exec(entry.name)?.[1] === 'old' ? join(entry.parentPath, entry.name.slice(1, entry.name.lastIndexOf('.old-'))) : undefined;
    if (replaced !== undefined && !(await lstat(replaced).catch(() => undefined))) await rename(path, replaced);
    else await rm(path, { recursive: true, force: true });
  }
}

function isAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
