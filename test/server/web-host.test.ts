import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { createEngineService, type EngineService } from '../../src/engine/service/engine-service';
import { startWebHost, type WebHost } from '../../src/server/web-host';
import { PPOCR_CLS_ONNX } from '../fixtures/real-models';
import { httpGet } from '../helpers/http-get';

let host: WebHost;
let service: EngineService;
let rendererDir: string;

beforeAll(async () => {
  rendererDir = await mkdtemp(join(tmpdir(), 'lithe-ui-'));
  await writeFile(join(rendererDir, 'index.html'), '<!doctype html><title>Lithe</title>');
  await writeFile(join(rendererDir, 'app.js'), 'console.log(1)');
  service = createEngineService({ host: 'web' });
  // a trailing separator, as a folder path often has, must not matter
  host = await startWebHost({ port: 0, rendererDir: `${rendererDir}/`, service });
  cookieValue = await pageCookie();
});
afterAll(async () => {
  await host.close();
  await service.close();
  await rm(rendererDir, { recursive: true, force: true });
});

function get(path: string, headers: Record<string, string> = {}, port = host.port): ReturnType<typeof httpGet> {
  return httpGet(port, path, headers);
}

function openSocket(headers: Record<string, string>, query = `?token=${host.token}`, port = host.port): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`ws://127.0.0.1:${port}/api${query}`, { headers });
    socket.once('open', () => resolve(socket));
    socket.once('error', reject);
  });
}

/** The page cookie, as the first visit with the token sets it. */
async function pageCookie(of = host): Promise<string> {
  const first = await get(`/?token=${encodeURIComponent(of.token)}`, {}, of.port);
  return String(first.headers['set-cookie']).split(';')[0] ?? '';
}
let cookieValue = '';
const cookie = (): string => cookieValue;
const origin = (): string => `http://127.0.0.1:${host.port}`;

describe('web host', () => {
  it('listens on loopback and prints a tokened URL', () => {
    expect(host.url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${host.port}/\\?token=`));
  });

  it('refuses a request without the token', async () => {
    const response = await get('/');
    expect(response.status).toBe(401);
    expect(response.body).toMatch(/access token/);
  });

  it('refuses a wrong token', async () => {
    expect((await get('/?token=wrong')).status).toBe(401);
  });

  it('trades the URL token for a port-bound same-site cookie and hands the token to the page in the fragment', async () => {
    const first = await get(`/?token=${encodeURIComponent(host.token)}`);
    expect(first.status).toBe(303);
    expect(first.headers['location']).toBe(`/#token=${host.token}`);
    const setCookie = String(first.headers['set-cookie']);
    expect(setCookie).toMatch(new RegExp(`^lithe_${host.port}=[A-Za-z0-9_-]+; HttpOnly; SameSite=Strict; Path=/$`));
    expect(setCookie).not.toContain(host.token);
  });

  it('serves the UI with a CSP to the cookie', async () => {
    const page = await get('/', { cookie: cookie() });
    expect(page.status).toBe(200);
    expect(page.body).toContain('<title>Lithe</title>');
    expect(String(page.headers['content-security-policy'])).toContain("default-src 'self'");
  });

  it('serves assets with their content type', async () => {
    const script = await get('/app.js', { cookie: cookie() });
    expect(script.status).toBe(200);
    expect(String(script.headers['content-type'])).toMatch(/javascript/);
  });

  it('refuses a foreign Host header (DNS rebinding)', async () => {
    expect((await get('/', { cookie: cookie(), host: 'evil.example:80' })).status).toBe(421);
  });

  it('refuses paths that leave the UI folder', async () => {
    const response = await get('/..%2f..%2fetc%2fpasswd', { cookie: cookie() });
    expect(response.body).not.toContain('root:');
  });

  it('refuses a WebSocket without the token or from another origin', async () => {
    await expect(openSocket({ origin: origin() }, '')).rejects.toThrow(/401/);
    await expect(openSocket({ origin: 'http://evil.example' })).rejects.toThrow(/401/);
  });

  it('does not open the API to the cookie: what the browser sends to other ports is worth nothing there', async () => {
    await expect(openSocket({ cookie: cookie(), origin: origin() }, '')).rejects.toThrow(/401/);
    await expect(openSocket({ cookie: `lithe_token=${host.token}`, origin: origin() }, '')).rejects.toThrow(/401/);
    await expect(openSocket({ cookie: `lithe_${host.port}=${host.token}`, origin: origin() }, '')).rejects.toThrow(/401/);
  });

  it('a token or cookie of one instance opens nothing of another', async () => {
    const other = await startWebHost({ port: 0, rendererDir, service });
    try {
      const otherCookie = await pageCookie(other);
      expect(otherCookie.split('=')[0]).not.toBe(cookie().split('=')[0]);
      expect((await get('/', { cookie: cookie() }, other.port)).status).toBe(401);
      expect((await get(`/?token=${host.token}`, {}, other.port)).status).toBe(401);
      const otherOrigin = `http://127.0.0.1:${other.port}`;
      await expect(openSocket({ origin: otherOrigin }, `?token=${host.token}`, other.port)).rejects.toThrow(/401/);
      await expect(openSocket({ origin: origin(), cookie: otherCookie }, '')).rejects.toThrow(/401/);
    } finally {
      await other.close();
    }
  });

  it('survives malformed upgrade URLs and cookies', async () => {
    const raw = (text: string): Promise<string> =>
      new Promise((resolve) => {
        const socket = connect(host.port, '127.0.0.1', () => socket.end(text));
        let answer = '';
        socket.on('data', (chunk: Buffer) => (answer += chunk.toString()));
        socket.on('error', () => resolve(answer));
        socket.on('close', () => resolve(answer));
      });
    const upgrade = (path: string, extra = ''): string =>
      [
        `GET ${path} HTTP/1.1`,
        `Host: 127.0.0.1:${host.port}`,
        `Origin: ${origin()}`,
        'Connection: Upgrade',
        'Upgrade: websocket',
        'Sec-WebSocket-Version: 13',
        'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==',
        `${extra}\r\n`,
      ].join('\r\n');
    expect(await raw(upgrade('//['))).toMatch(/^HTTP\/1.1 401/);
    expect(await raw(upgrade('/api', 'Cookie: lithe_token=%E0%A4%A\r\n'))).toMatch(/^HTTP\/1.1 401/);
    expect(await raw(`GET //[ HTTP/1.1\r\nHost: 127.0.0.1:${host.port}\r\n\r\n`)).toMatch(/^HTTP\/1.1 400/);
    const socket = await openSocket({ origin: origin() });
    socket.close();
  });

  it('closes a socket that sends a frame over 1 MiB (1009) or invalid UTF-8 (1007), and goes on', async () => {
    const closeCode = async (send: (socket: WebSocket) => void): Promise<number> => {
      const socket = await openSocket({ origin: origin() });
      const closed = new Promise<number>((resolve) => socket.on('close', (code) => resolve(code)));
      socket.on('error', () => undefined);
      send(socket);
      return closed;
    };
    expect(await closeCode((socket) => socket.send('x'.repeat(1024 * 1024 + 1)))).toBe(1009);
    // ws validates UTF-8 on the way out, so the bad bytes go as a binary buffer marked as text by hand.
    expect(await closeCode((socket) => socket.send(Buffer.from([0xc3, 0x28]), { binary: false }))).toBe(1007);
    const socket = await openSocket({ origin: origin() });
    socket.close();
  });

  it('runs a contract command over the WebSocket with progress and a reply', async () => {
    const socket = await openSocket({ cookie: cookie(), origin: origin() });
    const messages: Array<{ type: string; ok?: boolean; result?: { format: string; sizeBytes: number } }> = [];
    const reply = new Promise<void>((resolve) => {
      socket.on('message', (data: Buffer) => {
        const message = JSON.parse(data.toString()) as (typeof messages)[number];
        messages.push(message);
        if (message.type === 'reply') resolve();
      });
    });
    socket.send(JSON.stringify({ type: 'request', id: '1', command: 'file.identify', args: { path: PPOCR_CLS_ONNX } }));
    await reply;
    socket.close();
    const last = messages.at(-1);
    expect(last).toMatchObject({ type: 'reply', ok: true, result: { format: 'onnx', sizeBytes: 578_966 } });
    expect(messages.some((message) => message.type === 'progress')).toBe(true);
  });

  it('answers invalid arguments with a clear error', async () => {
    const socket = await openSocket({ cookie: cookie(), origin: origin() });
    const reply = new Promise<{ ok: boolean; error: { code: string; message: string } }>((resolve) => {
      socket.on('message', (data: Buffer) =>
        resolve(JSON.parse(data.toString()) as { ok: boolean; error: { code: string; message: string } }),
      );
    });
    socket.send(JSON.stringify({ type: 'request', id: '2', command: 'file.identify', args: { path: '' } }));
    const message = await reply;
    socket.close();
    expect(message.ok).toBe(false);
    expect(message.error.code).toBe('invalid-argument');
    expect(message.error.message).toMatch(/path: A path is required/);
  });
});

describe('web host access policy', () => {
  const call = async (command: string, args: unknown): Promise<{ ok: boolean; error?: { code: string; message: string } }> => {
    const socket = await openSocket({ origin: origin() });
    const reply = new Promise<{ ok: boolean; error?: { code: string; message: string } }>((resolve) => {
      socket.on('message', (data: Buffer) => {
        const message = JSON.parse(data.toString()) as { type: string; ok: boolean; error?: { code: string; message: string } };
        if (message.type === 'reply') resolve(message);
      });
    });
    socket.send(JSON.stringify({ type: 'request', id: 'p', command, args }));
    const message = await reply;
    socket.close();
    return message;
  };

  it('refuses files outside the user’s folders, without reading them', async () => {
    for (const path of ['/etc/shadow', '/etc/passwd', '/proc/self/environ']) {
      const reply = await call('file.identify', { path });
      expect(reply.ok).toBe(false);
      expect(reply.error?.code).toBe('not-allowed');
    }
  });

  it('never reads a non-recipe file as a recipe, and never echoes a file’s content', async () => {
    for (const recipe of ['/etc/passwd', '/proc/self/environ']) {
      const reply = await call('optimize.run', { model: PPOCR_CLS_ONNX, recipe });
      expect(reply.error?.code).toBe('not-allowed');
      expect(reply.error?.message).not.toMatch(/root:|SHELL=|PATH=/);
    }
  });

  it('creates run folders only in Lithe’s folders or folders the user chose', async () => {
    const reply = await call('optimize.run', { model: PPOCR_CLS_ONNX, outDir: join(tmpdir(), 'lithe-not-allowed-run') });
    expect(reply.error?.code).toBe('not-allowed');
    const batch = await call('batch.run', { inputDir: '/etc', outDir: '/tmp/x' });
    expect(batch.error?.code).toBe('not-allowed');
  });
});
