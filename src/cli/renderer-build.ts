import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CommandError } from '../contract';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const RENDERER_DIR = fileURLToPath(new URL('../../out/renderer/', import.meta.url));

/** Folder of the built UI; builds it once (in a source checkout) when it is missing. */
export async function ensureRendererBuilt(): Promise<string> {
  if (existsSync(`${RENDERER_DIR}index.html`)) return RENDERER_DIR;
  const builder = `${ROOT}node_modules/.bin/electron-vite`;
  if (!existsSync(builder))
    throw new CommandError({
      code: 'not-found',
      message: 'The UI is not built and the build tools are not installed (run `npm ci`).',
      file: RENDERER_DIR,
    });
  console.log('Building the UI once (electron-vite build)…');
  const result = spawnSync(builder, ['build'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  if (result.status !== 0 || !existsSync(`${RENDERER_DIR}index.html`))
    throw new CommandError({ code: 'internal', message: 'Building the UI failed (see the messages above).' });
  return RENDERER_DIR;
}
