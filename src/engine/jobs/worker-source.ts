import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * How to start a worker for `entry`: built JavaScript runs as is; TypeScript sources (development,
 * tests, the CLI) start through a small bootstrap that registers the tsx loader first.
 */
export function workerSource(entry: URL): { source: string | URL; eval: boolean; entryUrl: string } {
  if (!entry.pathname.endsWith('.ts')) return { source: entry, eval: false, entryUrl: entry.href };
  const tsxDir = dirname(createRequire(import.meta.url).resolve('tsx/package.json'));
  const tsxApi = pathToFileURL(join(tsxDir, 'dist', 'esm', 'api', 'index.mjs')).href;
  const bootstrap = `import(${JSON.stringify(tsxApi)}).then((api) => { api.register(); return import(${JSON.stringify(entry.href)}); });`;
  return { source: bootstrap, eval: true, entryUrl: entry.href };
}
