import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import type { EngineService } from '../engine/service';
import { newAccessToken, presentedToken, TOKEN_COOKIE, tokenMatches } from './access-token';
import { defaultRunsFolder } from '../engine/runs/runs-folder';
import { RUN_FILE_ROUTES, serveRunFile } from './run-files';
import { attachSocketSession } from './socket-session';
import { serveStatic } from './static-files';

/** Settings of the web host. */
export interface WebHostOptions {
  /** TCP port; 0 picks a free one. */
  port: number;
  /** Folder with the built UI (index.html and assets). */
  rendererDir: string;
  service: EngineService;
  /** Fixed token (tests); a random one per launch otherwise. */
  token?: string;
  /** Folders whose files the page may download or view (default: Lithe's runs folder). */
  runsFolders?: readonly string[];
}

/** A running web host. */
export interface WebHost {
  /** The URL to open, including the access token. */
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

const LOOPBACK = '127.0.0.1';
const UNAUTHORIZED =
  'Lithe: this tab is from an earlier session, or the address is missing its access token.\n\n' +
  'To get back in, open the address printed in the terminal where Lithe runs (npm start or lithe serve):\n' +
  'it looks like http://127.0.0.1:PORT/?token=… . Each start makes a new access token; your files and runs are kept.\n';

/**
 * Serves the UI and the contract (WebSocket at /api) on 127.0.0.1 only. Every request must carry the
 * per-launch token, in the URL the first time and as a same-site cookie after that.
 */
export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  const token = options.token ?? newAccessToken();
  let origin = '';

  const server = createServer((request, response) => {
    void handleHttp(request, response).catch(() => {
      if (!response.headersSent) response.writeHead(500, { 'content-type': 'text/plain' });
      response.end('Internal error.');
    });
  });

  async function handleHttp(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', origin);
    if (!isOwnHost(request, origin)) {
      response.writeHead(421, { 'content-type': 'text/plain' }).end('Misdirected request.\n');
      return;
    }
    if (!tokenMatches(token, presentedToken(request, url))) {
      response.writeHead(401, { 'content-type': 'text/plain; charset=utf-8' }).end(UNAUTHORIZED);
      return;
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    if (url.searchParams.has('token')) {
      response.writeHead(303, {
        location: '/',
        'set-cookie': `${TOKEN_COOKIE}=${encodeURIComponent(token)}; HttpOnly; SameSite=Strict; Path=/`,
      });
      response.end();
      return;
    }
    if (url.pathname === RUN_FILE_ROUTES.download || url.pathname === RUN_FILE_ROUTES.view) {
      await serveRunFile(url, options.runsFolders ?? [defaultRunsFolder()], response);
      return;
    }
    await serveStatic(options.rendererDir, url.pathname, response);
  }

  const sockets = new WebSocketServer({ noServer: true, maxPayload: 1024 * 1024 });
  server.on('upgrade', (request, socket, head) => {
    const url = new URL(request.url ?? '/', origin);
    const allowed =
      url.pathname === '/api' &&
      isOwnHost(request, origin) &&
      (request.headers.origin === origin || request.headers.origin === origin.replace(LOOPBACK, 'localhost')) &&
      tokenMatches(token, presentedToken(request, url));
    if (!allowed) {
      socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\n\r\n');
      return;
    }
    sockets.handleUpgrade(request, socket, head, (ws) => attachSocketSession(ws, options.service));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, LOOPBACK, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  origin = `http://${LOOPBACK}:${port}`;

  return {
    url: `${origin}/?token=${encodeURIComponent(token)}`,
    port,
    token,
    close: async () => {
      for (const client of sockets.clients) client.terminate();
      sockets.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Defends against DNS rebinding: the Host header must name our loopback address. */
function isOwnHost(request: IncomingMessage, origin: string): boolean {
  const host = request.headers.host;
  const port = new URL(origin).port;
  return host === `${LOOPBACK}:${port}` || host === `localhost:${port}`;
}
