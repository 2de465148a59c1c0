import { session, type WebContents } from 'electron';
import { isAppUrl, navigationAllowed } from './allowed-urls';
import { serveAppProtocol } from './app-protocol';

/** Content-Security-Policy of the app window: our own files only, no remote content. */
export const APP_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; " +
  "font-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'";

/**
 * Serves the app's own files in `rendererDir` at `app://lithe/`, applies the CSP header, denies
 * every permission request and blocks every request but those for the app's own files (see allowed-urls.ts).
 */
export function hardenSession(rendererDir: string): void {
  const ses = session.defaultSession;
  serveAppProtocol(ses, rendererDir, APP_CSP);
  ses.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [APP_CSP] } });
  });
  ses.webRequest.onBeforeRequest((details, callback) => {
    callback({ cancel: !isAppUrl(details.url, rendererDir, process.env['ELECTRON_RENDERER_URL']) });
  });
  ses.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
}

/** Stops the window, its redirects and its frames from navigating away, and from opening new windows. */
export function lockNavigation(contents: WebContents): void {
  const guard = (event: { url: string; isMainFrame: boolean; preventDefault(): void }): void => {
    if (!navigationAllowed(event.url, contents.getURL(), event.isMainFrame)) event.preventDefault();
  };
  contents.on('will-navigate', guard);
  contents.on('will-redirect', guard);
  contents.on('will-frame-navigate', guard);
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
}
