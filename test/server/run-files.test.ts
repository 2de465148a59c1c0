import { mkdtemp, mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngineService, type EngineService } from '../../src/engine/service/engine-service';
import { startWebHost, type WebHost } from '../../src/server/web-host';
import { httpGet } from '../helpers/http-get';

let host: WebHost;
let service: EngineService;
let root: string;
let cookie: string;
let runs: string;

const get = (path: string, headers: Record<string, string> = {}) => httpGet(host.port, path, headers);

const file = (route: 'download' | 'view', path: string) => get(`/files/${route}?path=${encodeURIComponent(path)}`, { cookie });

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
    const anonymous = await get(`/files/download?path=${encodeURIComponent(join(runs, 'run-1', 'net.fp16.onnx'))}`);
    expect(anonymous.status).toBe(401);
  });
});
