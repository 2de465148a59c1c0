import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { basename, isAbsolute } from 'node:path';
import { isInside } from '../engine/files/path-inside';

/** URL paths of a run's files: downloaded as attachments, or (reports) viewed in a tab; both need a ticket. */
export const RUN_FILE_ROUTES = { download: '/files/download', view: '/files/view', ticket: '/files/ticket' } as const;

/** How a run's file is sent: saved as an attachment, or (a report) shown in a tab. */
export type RunFileUse = 'download' | 'view';

/** A run's file that may be sent, or why not (an HTTP status and words for the user). */
export type RunFileCheck = { ok: true; path: string; size: number } | { ok: false; status: number; text: string };

// A report opens as an opaque origin: its own inline styles and scripts run, but it cannot reach the page, the API or the cookie.
const REPORT_CSP =
  "sandbox allow-scripts; default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

/**
 * Checks that `asked` is a file from one of `folders` (Lithe's runs folder: outputs and reports
 * only, never the user's other files), and for `view` an HTML report. Symbolic links are resolved
 * before the check, so none can lead outside.
 */
export async function checkRunFile(asked: string, folders: readonly string[], use: RunFileUse): Promise<RunFileCheck> {
  if (!isAbsolute(asked)) return { ok: false, status: 400, text: 'Lithe: give the full path of a file from a run.' };
  const real = await realpath(asked).catch(() => null);
  const info = real ? await stat(real).catch(() => null) : null;
  if (!real || !info?.isFile()) return { ok: false, status: 404, text: `Lithe: ${asked} does not exist (the run may have been deleted).` };
  const roots = await Promise.all(folders.map((folder) => realpath(folder).catch(() => folder)));
  if (!roots.some((root) => isInside(root, real)))
    return { ok: false, status: 403, text: 'Lithe: only files from runs (optimized models and reports) can be downloaded here.' };
  if (use === 'view' && !/\.html?$/i.test(real))
    return { ok: false, status: 400, text: 'Lithe: only reports (.html) open in a tab; download other files.' };
  return { ok: true, path: real, size: info.size };
}

/** Sends `asked` from one of `folders` after {@link checkRunFile}: as an attachment, or a report in a sandbox. */
export async function serveRunFile(asked: string, folders: readonly string[], use: RunFileUse, response: ServerResponse): Promise<void> {
  const checked = await checkRunFile(asked, folders, use);
  if (!checked.ok) {
    response.writeHead(checked.status, { 'content-type': 'text/plain; charset=utf-8' }).end(`${checked.text}\n`);
    return;
  }
  const name = basename(checked.path);
  response.writeHead(200, {
    'content-type': use === 'view' ? 'text/html; charset=utf-8' : 'application/octet-stream',
    'content-length': checked.size,
    ...(use === 'view'
      ? { 'content-security-policy': REPORT_CSP }
      : { 'content-disposition': `attachment; filename="${name.replace(/[^\w.-]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(name)}` }),
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'cache-control': 'no-store',
  });
  createReadStream(checked.path).pipe(response);
}
