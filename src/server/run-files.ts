import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { basename, isAbsolute } from 'node:path';
import { isInside } from '../engine/files/path-inside';

/** URL paths of a run's files: downloaded as attachments, or (reports) viewed in a tab. */
export const RUN_FILE_ROUTES = { download: '/files/download', view: '/files/view' } as const;

// A report opens as an opaque origin: its own inline styles and scripts run, but it cannot reach the page, the API or the cookie.
const REPORT_CSP =
  "sandbox allow-scripts; default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

/**
 * Sends `?path=` from one of `folders` (Lithe's runs folder: outputs and reports only, never the
 * user's other files): `/files/download` as an attachment, `/files/view` for an HTML report in a
 * sandbox. Symbolic links are resolved before the check, so none can lead outside.
 */
export async function serveRunFile(url: URL, folders: readonly string[], response: ServerResponse): Promise<void> {
  const view = url.pathname === RUN_FILE_ROUTES.view;
  const asked = url.searchParams.get('path') ?? '';
  const refuse = (status: number, text: string): void => {
    response.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' }).end(`${text}\n`);
  };
  if (!isAbsolute(asked)) return refuse(400, 'Lithe: give the full path of a file from a run.');
  const real = await realpath(asked).catch(() => null);
  const info = real ? await stat(real).catch(() => null) : null;
  if (!real || !info?.isFile()) return refuse(404, `Lithe: ${asked} does not exist (the run may have been deleted).`);
  const roots = await Promise.all(folders.map((folder) => realpath(folder).catch(() => folder)));
  if (!roots.some((root) => isInside(root, real)))
    return refuse(403, 'Lithe: only files from runs (optimized models and reports) can be downloaded here.');
  if (view && !/\.html?$/i.test(real)) return refuse(400, 'Lithe: only reports (.html) open in a tab; download other files.');
  const name = basename(real);
  response.writeHead(200, {
    'content-type': view ? 'text/html; charset=utf-8' : 'application/octet-stream',
    'content-length': info.size,
    ...(view
      ? { 'content-security-policy': REPORT_CSP }
      : { 'content-disposition': `attachment; filename="${name.replace(/[^\w.-]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(name)}` }),
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'cache-control': 'no-store',
  });
  createReadStream(real).pipe(response);
}
