import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { createEngineService, type EngineService } from '../../src/engine/service/engine-service';
import { startWebHost, type WebHost } from '../../src/server/web-host';
import { PPOCR_CLS_ONNX } from '../fixtures/real-models';

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
});
afterAll(async () => {
  await host.close();
  await service.close();
  await rm(rendererDir, { recursive: true, force: true });
});

function get(
  path: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: host.port, path, headers }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

function openSocket(headers: Record<string, string>): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`ws://127.0.0.1:${host.port}/api`, { headers });
    socket.once('open', () => resolve(socket));
    socket.once('error', reject);
  });
}

const cookie = (): string => `lithe_token=${encodeURIComponent(host.token)}`;
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

  it('trades the URL token for a same-site cookie, then serves the UI with a CSP', async () => {
    const first = await get(`/?token=${encodeURIComponent(host.token)}`);
    expect(first.status).toBe(303);
    expect(String(first.headers['set-cookie'])).toMatch(/HttpOnly; SameSite=Strict/);
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
    await expect(openSocket({ origin: origin() })).rejects.toThrow(/401/);
    await expect(openSocket({ cookie: cookie(), origin: 'http://evil.example' })).rejects.toThrow(/401/);
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
