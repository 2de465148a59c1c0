import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CommandError } from '../contract';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const RENDERER_DIR = fileURLToPath(new URL('../../out/renderer/', import.meta.url));
// What the UI bundle is built from, in a source checkout.
const SOURCES = ['src/renderer', 'src/contract'];

/** Newest modification time of the files under `dir` (0 when there is none). */
function newestIn(dir: string): number {
  if (!existsSync(dir)) return 0;
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestIn(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** Whether the built UI is there and no source it is built from changed after it. */
function builtAndCurrent(): boolean {
  const index = `${RENDERER_DIR}index.html`;
  if (!existsSync(index)) return false;
  const built = statSync(index).mtimeMs;
  return SOURCES.every((dir) => newestIn(join(ROOT, dir)) <= built);
}

/**
 * Folder of the built UI; builds it (in a source checkout) when it is missing or older than its
 * sources, so a checkout that moved on does not serve yesterday's pages.
 */
export async function ensureRendererBuilt(): Promise<string> {
  if (builtAndCurrent()) return RENDERER_DIR;
  const builder = `${ROOT}node_modules/.bin/electron-vite`;
  if (!existsSync(builder))
    throw new CommandError({
      code: 'not-found',
      message: 'The UI is not built and the build tools are not installed (run `npm ci`).',
      file: RENDERER_DIR,
    });
  console.log(
    existsSync(`${RENDERER_DIR}index.html`)
      ? 'The UI sources changed: building it again (electron-vite build)…'
      : 'Building the UI once (electron-vite build)…',
  );
  const result = spawnSync(builder, ['build'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  if (result.status !== 0 || !existsSync(`${RENDERER_DIR}index.html`))
    throw new CommandError({ code: 'internal', message: 'Building the UI failed (see the messages above).' });
  return RENDERER_DIR;
}
