import { isAbsolute, relative, resolve, sep } from 'node:path';

// Which addresses the app window may load and go to. Its own files are served from the privileged
// scheme `app://lithe/`, mapped onto the built renderer folder (inside app.asar once packaged) and
// nothing else. No file:// URL is allowed at all, so a page that was made to navigate or to load a
// resource cannot reach the user's files or another folder of the app.

/** The scheme of the app's own pages (registered as standard and secure before the app is ready). */
export const APP_SCHEME = 'app';
/** The one host of that scheme: `app://lithe/` is the renderer folder. */
export const APP_HOST = 'lithe';
/** The address the window loads. */
export const APP_ENTRY = `${APP_SCHEME}://${APP_HOST}/index.html`;

/** The renderer dev server (electron-vite dev) on loopback, used only during development. */
export function isDevServer(url: string, devUrl: string | undefined): boolean {
  return Boolean(devUrl) && url.startsWith(devUrl as string) && /^https?:\/\/(localhost|127\.0\.0\.1)[:/]/.test(url);
}

// Once packaged, main runs from app.asar.unpacked while the renderer stays in app.asar: one folder to Electron.
const asarName = (path: string): string => path.replace(/\.asar\.unpacked(?=[\\/]|$)/g, '.asar');

/**
 * The file of `rendererDir` that an `app://lithe/…` address names, or null when the address is of
 * another scheme or host, cannot be decoded, or leads outside the folder (`..`, encoded or not).
 */
export function appFileOf(url: string, rendererDir: string): string | null {
  let parsed: URL;
  let path: string;
  try {
    parsed = new URL(url);
    path = decodeURIComponent(parsed.pathname);
  } catch {
    return null;
  }
  if (parsed.protocol !== `${APP_SCHEME}:` || parsed.host !== APP_HOST || parsed.username || parsed.password || path.includes('\0'))
    return null;
  const root = asarName(resolve(rendererDir));
  const file = resolve(root, `.${path.replace(/\\/g, '/')}`);
  const rel = relative(root, file);
  return rel !== '' && rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel) ? file : null;
}

/** Whether the window may request `url`: a file of `rendererDir` through `app://lithe/`, DevTools, or the dev server. */
export function isAppUrl(url: string, rendererDir: string, devUrl?: string): boolean {
  if (url.startsWith('devtools://') || isDevServer(url, devUrl)) return true;
  return appFileOf(url, rendererDir) !== null;
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
