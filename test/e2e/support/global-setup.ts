import { fileURLToPath } from 'node:url';
import { ensureFreshRendererBuild } from './renderer-build';
import { startLitheServer } from './lithe-server';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** Builds the UI if needed and starts one `lithe serve` for all tests; returns the teardown. */
export default async function globalSetup(): Promise<() => Promise<void>> {
  await ensureFreshRendererBuild(ROOT);
  const server = await startLitheServer(ROOT);
  process.env.LITHE_E2E_URL = server.url;
  return () => server.stop();
}
