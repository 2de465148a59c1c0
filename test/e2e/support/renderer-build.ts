import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { build } from 'vite';

const SOURCES = ['src/renderer', 'src/contract', 'svelte.config.js'];

/**
 * Builds the UI into out/renderer when it is missing or older than its sources. Only the renderer is
 * built (as electron-vite's renderer step does), so the browser tests do not depend on the main build.
 */
export async function ensureFreshRendererBuild(root: string): Promise<void> {
  const built = join(root, 'out/renderer/index.html');
  if (existsSync(built) && statSync(built).mtimeMs >= newestMtime(SOURCES.map((source) => join(root, source)))) return;
  console.log('e2e: building the UI into out/renderer…');
  await build({
    configFile: false,
    root: join(root, 'src/renderer'),
    base: './',
    logLevel: 'warn',
    plugins: [svelte({ configFile: join(root, 'svelte.config.js') })],
    build: { outDir: join(root, 'out/renderer'), emptyOutDir: true },
  });
}

function newestMtime(paths: string[]): number {
  let newest = 0;
  for (const path of paths) {
    if (!existsSync(path)) continue;
    const info = statSync(path);
    if (info.isDirectory()) newest = Math.max(newest, newestMtime(readdirSync(path).map((name) => join(path, name))));
    else newest = Math.max(newest, info.mtimeMs);
  }
  return newest;
}
