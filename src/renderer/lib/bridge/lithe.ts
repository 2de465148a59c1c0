import { PAGE_SESSION_PARAM } from '../../../contract';
import { alwaysOpen, type Connection } from './connection-status';
import { pageToken } from './page-token';
import { createPreloadApi } from './preload-api';
import type { HostFiles, RendererApi } from './renderer-api';
import { runFileOpener } from './run-file-opener';
import { createSocketApi } from './socket-api';
import { uploadFile } from './upload';

/** The contract as this window reaches it, and the state of the link. */
export interface Bridge {
  api: RendererApi;
  connection: Connection;
}

/** The WebSocket address of the web host that served this page, with the page's access token and session id. */
export function apiSocketUrl(location: Location, token: string | null, session: string): string {
  const query = new URLSearchParams({ ...(token === null ? {} : { token }), [PAGE_SESSION_PARAM]: session });
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/api?${query.toString()}`;
}

/** Connects to Lithe: the Electron preload's `window.litheBridge` when present, else the web host's WebSocket. */
export function connectBridge(): Bridge {
  const fromPreload = window.litheBridge;
  if (fromPreload) return { api: createPreloadApi(fromPreload), connection: alwaysOpen };
  const token = pageToken(window.location, window.sessionStorage, window.history);
  // one id per page load: what this tab chose in the file browser stays its own across reconnects
  const socket = createSocketApi(apiSocketUrl(window.location, token, crypto.randomUUID()));
  const files: HostFiles = {
    call: socket.callFiles,
    upload: (file, onProgress, signal) => uploadFile(token, file, onProgress, signal),
  };
  return { connection: socket.connection, api: { ...socket.api, openRunFile: runFileOpener(token), files } };
}
