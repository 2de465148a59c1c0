import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureFreshRendererBuild } from './renderer-build';
import { startLitheServer } from './lithe-server';
import { machineDataFolders } from './machine-data';
import { takeMachineLock } from './machine-lock';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/**
 * Builds the UI if needed and starts one `lithe serve` for all tests, with its runs folder, its workspace
 * (uploads) and its device profiles in a fresh temporary folder (the tests never touch the user's own) and the machine's
 * real data allowed; returns the teardown.
 * Browser-test runs on one machine take turns (see takeMachineLock).
 */
export default async function globalSetup(): Promise<() => Promise<void>> {
  const releaseLock = await takeMachineLock();
  await ensureFreshRendererBuild(ROOT);
  const home = mkdtempSync(join(tmpdir(), 'lithe-e2e-'));
  const env = { LITHE_RUNS_DIR: join(home, 'runs'), LITHE_WORKSPACE_DIR: join(home, 'workspace'), XDG_CONFIG_HOME: join(home, 'config') };
  const server = await startLitheServer(ROOT, env, machineDataFolders());
  process.env.LITHE_E2E_URL = server.url;
  process.env.LITHE_E2E_RUNS_DIR = env.LITHE_RUNS_DIR;
  return async () => {
    await server.stop();
    rmSync(home, { recursive: true, force: true });
    releaseLock();
  };
}
