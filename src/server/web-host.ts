import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { homedir } from 'node:os';
import { WebSocketServer } from 'ws';
import { PAGE_SESSION_ID, PAGE_SESSION_PARAM, UPLOAD_ROUTE } from '../contract';
import type { EngineService } from '../engine/service';
import { defaultRunsFolder, defaultWorkspaceFolder } from '../engine/runs/runs-folder';
import { cookieIn, cookieName, cookieValue, newAccessToken, pageCookieHeader, secretMatches, tokenInUrl } from './access-token';
import { createAccessPolicy, type AccessPolicy } from './access-policy';
import { createFileBrowser, withFileRpcs } from './file-browser';
import { guardedService } from './guarded-service';
import { answerClientError } from './client-error';
import { createFileTickets } from './file-tickets';
import { checkRunFile, RUN_FILE_ROUTES, serveRunFile, type RunFileUse } from './run-files';
import { attachSocketSession, MAX_MESSAGE_BYTES } from './socket-session';
import { serveStatic } from './static-files';
import { receiveUpload } from './upload';

/** Settings of the web host. */
export interface WebHostOptions {
  /** TCP port; 0 picks a free one. */
  port: number;
  /** Folder with the built UI (index.html and assets). */
  rendererDir: string;
  service: EngineService;
  /** Which files the page may use; default: {@link defaultAccessPolicy}. */
  policy?: AccessPolicy;
  /** Fixed token (tests); a random one per launch otherwise. */
  token?: string;
  /** Folders whose files the page may download or view (default: Lithe's runs folder). */
  runsFolders?: readonly string[];
  /** Where models dropped on the page are saved (default: Lithe's workspace). */
  workspace?: string;
}

/** A running web host. */
export interface WebHost {
  /** The URL to open, including the access token. */
  url: string;
  port: number;
  token: string;
  policy: AccessPolicy;
  close(): Promise<void>;
}

/** Open WebSockets at once (each browser tab holds one). */
export const MAX_SOCKETS = 16;
/** Page sessions remembered (with their chosen folders); the oldest is forgotten past this. */
export const MAX_PAGE_SESSIONS = 64;

const LOOPBACK = '127.0.0.1';
/** The header in which the page presents its token when it asks for a file ticket. */
export const TOKEN_HEADER = 'x-lithe-token';
const UNAUTHORIZED =
  'Lithe: this tab is from an earlier session, or the address is missing its access token.\n\n' +
  'To get back in, open the address printed in the terminal where Lithe runs (npm start or lithe serve):\n' +
  'it looks like http://127.0.0.1:PORT/?token=… . Each start makes a new access token; your files and runs are kept.\n';

/** The user's home folder and the folder Lithe started in (read), Lithe's runs folder and workspace (read and write). */
export function defaultAccessPolicy(chosenFolders: readonly string[] = []): AccessPolicy {
  return createAccessPolicy({
    readFolders: [homedir(), process.cwd()],
    chosenFolders,
    litheFolders: [defaultRunsFolder(), defaultWorkspaceFolder()],
  });
}

/**
 * Serves the UI and the contract (WebSocket at /api) on 127.0.0.1 only. The page presents the
 * per-launch token on the WebSocket; the UI's files need the token in the URL the first time and a
 * port-bound cookie after that (see access-token.ts). Every path a command names passes the access
 * policy first. No request, header, cookie or frame can end the process.
 */
export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  const token = options.token ?? newAccessToken();
  const policy = options.policy ?? defaultAccessPolicy();
  const runsFolders = options.runsFolders ?? [defaultRunsFolder()];
  const workspace = options.workspace ?? defaultWorkspaceFolder();
  const folders = { home: homedir(), start: process.cwd(), runs: runsFolders[0] ?? defaultRunsFolder(), workspace };
  // Each page session has its own policy: a folder one tab chose opens nothing for another. The page
  // names its session when it connects (and reconnects); a socket without a valid id gets a new one.
  const sessions = new Map<string, EngineService>();
  const sessionService = (id: string | null): EngineService => {
    const known = id === null ? undefined : sessions.get(id);
    if (id !== null && known) {
      sessions.delete(id); // kept in order of use, so the one forgotten first is the least recently used
      sessions.set(id, known);
      return known;
    }
    const session = policy.session();
    const service = guardedService(withFileRpcs(options.service, createFileBrowser(session, folders)), session);
    if (id === null || !PAGE_SESSION_ID.test(id)) return service;
    if (sessions.size >= MAX_PAGE_SESSIONS) sessions.delete(sessions.keys().next().value ?? '');
    sessions.set(id, service);
    return service;
  };
  let port = 0;
  let origin = '';

  const server = createServer((request, response) => {
    void handleHttp(request, response).catch(() => {
      if (!response.headersSent) response.writeHead(500, { 'content-type': 'text/plain' });
      response.end('Internal error.');
    });
  });
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;
  server.on('clientError', answerClientError);

  async function handleHttp(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = requestUrl(request, origin);
    if (!url) {
      response.writeHead(400, { 'content-type': 'text/plain' }).end('Bad request.\n');
      return;
    }
    if (!isOwnHost(request, port)) {
      response.writeHead(421, { 'content-type': 'text/plain' }).end('Misdirected request.\n');
      return;
    }
    if (url.pathname === UPLOAD_ROUTE) {
      await receiveUpload(request, url, response, { workspace, authorized: fromThisPage(request) });
      return;
    }
    if (url.pathname === RUN_FILE_ROUTES.ticket) return issueTicket(request, url, response);
    const use = runFileUse(url.pathname);
    if (use) return sendRunFile(request, url, use, response);
    const withToken = secretMatches(token, tokenInUrl(url));
    if (!withToken && !secretMatches(cookieValue(token, port), cookieIn(request, cookieName(port)))) {
      response.writeHead(401, { 'content-type': 'text/plain; charset=utf-8' }).end(UNAUTHORIZED);
      return;
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    if (withToken) {
      // The page takes the token from the fragment (never sent to any server) and keeps it for the WebSocket.
      response.writeHead(303, {
        location: `/#token=${encodeURIComponent(token)}`,
        'set-cookie': pageCookieHeader(token, port),
        'referrer-policy': 'no-referrer',
      });
      response.end();
      return;
    }
    await serveStatic(options.rendererDir, url.pathname, response);
  }

  // A run's file: the page asks for a ticket with its token (a header, never the URL), then a plain
  // link fetches that one file with the ticket. The page cookie, which reaches every port, opens none.
  const tickets = createFileTickets();
  const text = (response: ServerResponse, status: number, words: string): void => {
    response.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' }).end(`${words}\n`);
  };
  // A request the page makes with fetch: from its own origin, its token in a header.
  const fromThisPage = (request: IncomingMessage): boolean =>
    (request.headers.origin === origin || request.headers.origin === origin.replace(LOOPBACK, 'localhost')) &&
    secretMatches(token, headerValue(request.headers[TOKEN_HEADER]));
  async function issueTicket(request: IncomingMessage, url: URL, response: ServerResponse): Promise<void> {
    if (request.method !== 'POST') return void response.writeHead(405, { allow: 'POST' }).end();
    if (!fromThisPage(request)) return text(response, 401, UNAUTHORIZED);
    const use = url.searchParams.get('use');
    if (use !== 'download' && use !== 'view') return text(response, 400, 'Lithe: say use=download or use=view.');
    const checked = await checkRunFile(url.searchParams.get('path') ?? '', runsFolders, use);
    if (!checked.ok) return text(response, checked.status, checked.text);
    const id = tickets.issue({ path: checked.path, use });
    if (id === null) return text(response, 503, 'Lithe: too many files are being opened at once; try again in a minute.');
    const route = use === 'view' ? RUN_FILE_ROUTES.view : RUN_FILE_ROUTES.download;
    response.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
    response.end(JSON.stringify({ url: `${route}?ticket=${id}` }));
  }
  async function sendRunFile(request: IncomingMessage, url: URL, use: RunFileUse, response: ServerResponse): Promise<void> {
    if (request.method !== 'GET' && request.method !== 'HEAD') return void response.writeHead(405, { allow: 'GET, HEAD' }).end();
    const ticket = tickets.redeem(url.searchParams.get('ticket'), use);
    if (!ticket)
      return text(response, 401, 'Lithe: this link has expired or is not from this session. Go back to Lithe and click the button again.');
    await serveRunFile(ticket.path, runsFolders, use, response);
  }

  const sockets = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  server.on('upgrade', (request: IncomingMessage, socket: Socket, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    const refuse = (status: string): void => {
      socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    };
    const url = requestUrl(request, origin);
    const allowed =
      url !== null &&
      url.pathname === '/api' &&
      isOwnHost(request, port) &&
      (request.headers.origin === origin || request.headers.origin === origin.replace(LOOPBACK, 'localhost')) &&
      secretMatches(token, tokenInUrl(url));
    if (!allowed) return refuse('401 Unauthorized');
    if (sockets.clients.size >= MAX_SOCKETS) return refuse('503 Service Unavailable');
    try {
      sockets.handleUpgrade(request, socket, head, (ws) =>
        attachSocketSession(ws, sessionService(url.searchParams.get(PAGE_SESSION_PARAM))),
      );
    } catch {
      socket.destroy();
    }
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, LOOPBACK, () => resolve());
  });
  server.on('error', () => undefined);
  port = (server.address() as AddressInfo).port;
  origin = `http://${LOOPBACK}:${port}`;

  return {
    url: `${origin}/?token=${encodeURIComponent(token)}`,
    port,
    token,
    policy,
    close: async () => {
      for (const client of sockets.clients) client.terminate();
      sockets.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The request's URL, or null when it is not one (`//[`, …). */
function requestUrl(request: IncomingMessage, origin: string): URL | null {
  try {
    return new URL(request.url ?? '/', origin);
  } catch {
    return null;
  }
}

function headerValue(value: string | string[] | undefined): string | null {
  return typeof value === 'string' ? value : null;
}

/** Which use of a run file a URL path asks for, if it is one of theirs. */
function runFileUse(pathname: string): RunFileUse | null {
  if (pathname === RUN_FILE_ROUTES.download) return 'download';
  return pathname === RUN_FILE_ROUTES.view ? 'view' : null;
}

/** Defends against DNS rebinding: the Host header must name our loopback address. */
function isOwnHost(request: IncomingMessage, port: number): boolean {
  const host = request.headers.host;
  return host === `${LOOPBACK}:${port}` || host === `localhost:${port}`;
}
