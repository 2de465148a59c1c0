/** A path as the user typed, pasted or dropped it, made usable; or why it cannot be used. */
export type CleanedPath = { ok: true; path: string; changed: boolean } | { ok: false; path: string; problem: string };

const QUOTES: readonly [string, string][] = [
  ['"', '"'],
  ["'", "'"],
  ['“', '”'],
  ['‘', '’'],
];

/**
 * Cleans what a file manager or terminal puts on the clipboard: surrounding quotes, a `file://` address
 * (with its %-escapes), `~` for the home folder, a trailing newline. `home` is the user's home folder when known.
 * Paths that do not start at the root are refused: the browser page cannot know which folder they start from.
 */
export function cleanPath(raw: string, home?: string): CleanedPath {
  let path = raw.trim();
  for (let again = true; again;) {
    again = false;
    for (const [open, close] of QUOTES) {
      if (path.length >= 2 && path.startsWith(open) && path.endsWith(close)) {
        path = path.slice(open.length, path.length - close.length).trim();
        again = true;
      }
    }
  }
  if (/^file:\/\//i.test(path)) {
    try {
      const url = new URL(path);
      path = decodeURIComponent(url.pathname);
      // file:///C:/x → C:/x on Windows.
      if (/^\/[A-Za-z]:\//.test(path)) path = path.slice(1);
    } catch {
      return { ok: false, path, problem: 'This file:// address is not valid.' };
    }
  }
  if (path === '~' || path.startsWith('~/')) {
    if (!home) return { ok: false, path, problem: 'Lithe does not know your home folder yet: give the full path.' };
    path = home.replace(/\/+$/, '') + path.slice(1);
  }
  if (path && !isAbsolute(path)) {
    return { ok: false, path, problem: 'Give the full path, starting at the root (for example /home/you/model.onnx).' };
  }
  return { ok: true, path, changed: path !== raw };
}

function isAbsolute(path: string): boolean {
  return path.startsWith('/') || /^[A-Za-z]:[\\/]/.test(path) || path.startsWith('\\\\');
}
