import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';

/** Content types of the built UI's files, by extension (the desktop app's `app:` protocol uses them too). */
export const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
};

/** Content-Security-Policy of the UI when served by the web host: only our own origin. */
export const WEB_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; " +
  "font-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'";

/** Sends the file for `urlPath` from `root`, or index.html for unknown routes; refuses paths that leave `root`. */
export async function serveStatic(rootDir: string, urlPath: string, response: ServerResponse): Promise<void> {
  const root = resolve(rootDir);
  const decoded = safeDecode(urlPath);
  const relative = normalize(decoded ?? '/').replace(/^([/\\])+/, '');
  const candidate = join(root, relative);
  if (decoded === null || (candidate !== root && !candidate.startsWith(root + sep))) {
    response.writeHead(400, { 'content-type': 'text/plain' }).end('Bad path.');
    return;
  }
  const target = (await isFile(candidate)) ? candidate : join(root, 'index.html');
  const stream = createReadStream(target);
  // A file that vanished or cannot be read after the check: end the response, never the process.
  stream.once('error', () => response.destroy());
  response.writeHead(200, {
    'content-type': CONTENT_TYPES[extname(target)] ?? 'application/octet-stream',
    'content-security-policy': WEB_CSP,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'cache-control': 'no-store',
  });
  stream.pipe(response);
}

function safeDecode(path: string): string | null {
  try {
    return decodeURIComponent(path);
  } catch {
    return null;
  }
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}
