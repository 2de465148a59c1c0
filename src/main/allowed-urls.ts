import { isAbsolute, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

// Which addresses the app window may load and go to. Its own files are the built renderer folder
// (inside app.asar once packaged) and nothing else: not any file:// URL, so a page that was made to
// navigate or to load a resource cannot reach the user's files or another folder of the app.

/** The renderer dev server (electron-vite dev) on loopback, used only during development. */
export function isDevServer(url: string, devUrl: string | undefined): boolean {
  return Boolean(devUrl) && url.startsWith(devUrl as string) && /^https?:\/\/(localhost|127\.0\.0\.1)[:/]/.test(url);
}

// Once packaged, main runs from app.asar.unpacked while the renderer stays in app.asar: one folder to Electron.
const asarName = (path: string): string => path.replace(/\.asar\.unpacked(?=[\\/]|$)/g, '.asar');

/** Whether the window may request `url`: a file of `rendererDir`, DevTools, or the dev server. */
export function isAppUrl(url: string, rendererDir: string, devUrl?: string): boolean {
  if (url.startsWith('devtools://') || isDevServer(url, devUrl)) return true;
  if (!url.startsWith('file://')) return false;
  let path: string;
  try {
    path = asarName(resolve(fileURLToPath(url)));
  } catch {
    return false;
  }
  const rel = relative(asarName(resolve(rendererDir)), path);
  return rel !== '' && rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel);
}

/**
 * Whether the window's main frame may go from `current` to `target` (a navigation, a redirect or a
 * frame's navigation): only a reload of the page itself or a move within it (another `#…`).
 */
export function navigationAllowed(target: string, current: string, isMainFrame: boolean): boolean {
  if (!isMainFrame) return false;
  const withoutHash = (url: string): string => url.split('#')[0] ?? url;
  return current !== '' && withoutHash(target) === withoutHash(current);
}
