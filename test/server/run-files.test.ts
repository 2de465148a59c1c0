import { mkdtemp, mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngineService, type EngineService } from '../../src/engine/service/engine-service';
import { startWebHost, type WebHost } from '../../src/server/web-host';
import { httpGet, httpRequest } from '../helpers/http-get';

let host: WebHost;
let service: EngineService;
let root: string;
let cookie: string;
let runs: string;

const get = (path: string, headers: Record<string, string> = {}) => httpGet(host.port, path, headers);

/** Asks for a ticket as the page does (its token in a header), then fetches the file with it. */
const fromPage = (): Record<string, string> => ({ 'x-lithe-token': host.token, origin: `http://127.0.0.1:${host.port}` });
async function ticket(use: 'download' | 'view', path: string, headers: Record<string, string> = fromPage()) {
  return httpRequest(host.port, 'POST', `/files/ticket?use=${use}&path=${encodeURIComponent(path)}`, headers);
}
async function file(use: 'download' | 'view', path: string) {
  const issued = await ticket(use, path);
  if (issued.status !== 200) return issued;
  return get((JSON.parse(issued.body) as { url: string }).url, { cookie });
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'lithe-run-files-'));
  const rendererDir = join(root, 'ui');
  runs = join(root, 'runs');
  await mkdir(rendererDir);
  await mkdir(join(runs, 'run-1'), { recursive: true });
  await writeFile(join(rendererDir, 'index.html'), '<!doctype html><title>Lithe</title>');
  await writeFile(join(runs, 'run-1', 'net.fp16.onnx'), 'model bytes');
  await writeFile(join(runs, 'run-1', 'report.html'), '<!doctype html><h1>Verdict</h1>');
  await writeFile(join(root, 'secret.txt'), 'not a run file');
  await symlink(join(root, 'secret.txt'), join(runs, 'run-1', 'link.txt'));
  service = createEngineService({ host: 'web' });
  host = await startWebHost({ port: 0, rendererDir, service, runsFolders: [runs] });
  const first = await get(`/?token=${encodeURIComponent(host.token)}`);
  cookie = String(first.headers['set-cookie']).split(';')[0] ?? '';
});
afterAll(async () => {
  await host.close();
  await service.close();
  await rm(root, { recursive: true, force: true });
});

describe('run files through the web host', () => {
  it('downloads an output as an attachment, with its name', async () => {
    const response = await file('download', join(runs, 'run-1', 'net.fp16.onnx'));
    expect(response.status).toBe(200);
    expect(response.body).toBe('model bytes');
    expect(response.headers['content-disposition']).toMatch(/^attachment; filename="net\.fp16\.onnx"/);
  });

  it('opens a report in a sandbox that cannot reach the page', async () => {
    const response = await file('view', join(runs, 'run-1', 'report.html'));
    expect(response.status).toBe(200);
    expect(response.body).toContain('Verdict');
    expect(response.headers['content-security-policy']).toMatch(/^sandbox allow-scripts;/);
    expect((await file('view', join(runs, 'run-1', 'net.fp16.onnx'))).status).toBe(400);
  });

  it('refuses files outside the runs folder, links out of it, relative paths and requests without the cookie', async () => {
    expect((await file('download', join(root, 'secret.txt'))).status).toBe(403);
    expect((await file('download', join(runs, 'run-1', 'link.txt'))).status).toBe(403);
    expect((await file('download', join(runs, 'run-1', '..', '..', 'secret.txt'))).status).toBe(403);
    expect((await file('download', 'run-1/net.fp16.onnx')).status).toBe(400);
    expect((await file('download', join(runs, 'run-1', 'missing.onnx'))).status).toBe(404);
    expect((await file('download', runs)).status).toBe(404);
  });

  it('needs the page token for a ticket; the cookie, a URL token or an old route open nothing', async () => {
    const model = join(runs, 'run-1', 'net.fp16.onnx');
    // The cookie reaches every port of 127.0.0.1, so it must not be enough.
    expect((await ticket('download', model, { cookie })).status).toBe(401);
    expect((await ticket('download', model, { ...fromPage(), 'x-lithe-token': `${host.token}x` })).status).toBe(401);
    expect((await ticket('download', model, { ...fromPage(), origin: 'http://evil.example' })).status).toBe(401);
    expect((await get(`/files/ticket?use=download&path=${encodeURIComponent(model)}`, { 'x-lithe-token': host.token })).status).toBe(405);
    expect((await get(`/files/download?path=${encodeURIComponent(model)}`, { cookie })).status).toBe(401);
    expect((await get(`/files/download?path=${encodeURIComponent(model)}&token=${host.token}`, { cookie })).status).toBe(401);
    expect((await get('/files/download?ticket=made-up', { cookie })).status).toBe(401);
  });

  it('a ticket opens one file, for one use, and carries no token', async () => {
    const issued = await ticket('view', join(runs, 'run-1', 'report.html'));
    const url = (JSON.parse(issued.body) as { url: string }).url;
    expect(url).toMatch(/^\/files\/view\?ticket=[\w-]+$/);
    expect(url).not.toContain(host.token);
    // Without the cookie too: a new tab needs nothing but the ticket.
    expect((await get(url)).status).toBe(200);
    expect((await get(url.replace('/files/view', '/files/download'))).status).toBe(401);
  });
});
