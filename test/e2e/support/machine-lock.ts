import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const LOCK = join(tmpdir(), 'lithe-e2e.lock');

/**
 * Waits until no other browser-test run holds this machine's e2e lock, then takes it. Two e2e runs at
 * once (several checkouts on one machine) starve each other of CPU until their timing-bound steps time
 * out; one at a time, each finishes. A lock whose owner process has died is taken over. Returns the release.
 */
export async function takeMachineLock(): Promise<() => void> {
  let announced = false;
  for (;;) {
    try {
      mkdirSync(LOCK);
      writeFileSync(join(LOCK, 'pid'), String(process.pid));
      const release = (): void => rmSync(LOCK, { recursive: true, force: true });
      process.once('exit', release);
      return release;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const owner = lockOwner();
    if (owner !== undefined && !isAlive(owner)) {
      rmSync(LOCK, { recursive: true, force: true });
      continue;
    }
    if (!announced) {
      console.log(`Waiting for another browser-test run on this machine (pid ${owner ?? 'unknown'}) to finish…`);
      announced = true;
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

function lockOwner(): number | undefined {
  try {
    const pid = Number(readFileSync(join(LOCK, 'pid'), 'utf8'));
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
