import { protocol, type Session } from 'electron';
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { CONTENT_TYPES } from '../server/static-files';
import { APP_SCHEME, appFileOf } from './allowed-urls';

/**
 * Registers `app:` as a standard, secure scheme (an origin of its own, `'self'` in the CSP, fetch
 * allowed), as Electron's security checklist asks instead of file://. Call before the app is ready.
 */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
}

/**
 * Serves `app://lithe/…` from `rendererDir` in `ses`, each response with `csp`. An address outside
 * the folder is refused (403), a missing file is 404; nothing else of the disk is reachable.
 */
export function serveAppProtocol(ses: Session, rendererDir: string, csp: string): void {
  ses.protocol.handle(APP_SCHEME, async (request) => {
    const file = appFileOf(request.url, rendererDir);
    if (file === null) return new Response('Refused.', { status: 403 });
    const bytes = await readFile(file).catch(() => null);
    if (bytes === null) return new Response('Not found.', { status: 404 });
    return new Response(bytes, {
      headers: {
        'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
        'content-security-policy': csp,
        'x-content-type-options': 'nosniff',
      },
    });
  });
}
