import { session, type WebContents } from 'electron';

/** Content-Security-Policy of the app window: our own files only, no remote content. */
export const APP_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; " +
  "font-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'";

/** Applies the CSP header, denies every permission request and blocks requests to remote hosts. */
export function hardenSession(): void {
  const ses = session.defaultSession;
  ses.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [APP_CSP] } });
  });
  ses.webRequest.onBeforeRequest((details, callback) => {
    const allowed = details.url.startsWith('file://') || details.url.startsWith('devtools://') || isDevServer(details.url);
    callback({ cancel: !allowed });
  });
  ses.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
}

/** Stops the window from navigating away or opening new windows. */
export function lockNavigation(contents: WebContents): void {
  contents.on('will-navigate', (event, url) => {
    if (url !== contents.getURL()) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
}

/** The renderer dev server (electron-vite dev) on loopback, used only during development. */
export function isDevServer(url: string): boolean {
  const dev = process.env['ELECTRON_RENDERER_URL'];
  return Boolean(dev) && url.startsWith(dev as string) && /^https?:\/\/(localhost|127\.0\.0\.1)[:/]/.test(url);
}
