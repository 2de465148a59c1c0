import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngineService, type EngineService } from '../../src/engine/service';
import { createAccessPolicy } from '../../src/server/access-policy';
import { uploadName } from '../../src/server/upload';
import { startWebHost, type WebHost } from '../../src/server/web-host';

let host: WebHost;
let service: EngineService;
let base: string;
let workspace: string;

beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), 'lithe-upload-'));
  workspace = join(base, 'workspace');
  await writeFile(join(base, 'index.html'), '<!doctype html><title>Lithe</title>');
  service = createEngineService({ host: 'web' });
  const policy = createAccessPolicy({ readFolders: [], litheFolders: [workspace] });
  host = await startWebHost({ port: 0, rendererDir: base, service, policy, workspace });
});
afterAll(async () => {
  await host.close();
  await service.close();
  await rm(base, { recursive: true, force: true });
});

function post(
  name: string,
  body: Buffer,
  headers: Record<string, string> = { 'x-lithe-token': host.token, origin: `http://127.0.0.1:${host.port}` },
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port: host.port, method: 'POST', path: `/files/upload?name=${encodeURIComponent(name)}`, headers },
      (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

describe('upload into the workspace', () => {
  it('saves the model under its name, then under a free name: never over an existing file', async () => {
    const first = await post('model.onnx', Buffer.from('first'));
    expect(first.status).toBe(201);
    expect(JSON.parse(first.body)).toEqual({ path: join(workspace, 'model.onnx'), name: 'model.onnx', sizeBytes: 5 });
    const second = await post('model.onnx', Buffer.from('second'));
    expect(JSON.parse(second.body).path).toBe(join(workspace, 'model (2).onnx'));
    expect(await readFile(join(workspace, 'model.onnx'), 'utf8')).toBe('first');
    expect(await readFile(join(workspace, 'model (2).onnx'), 'utf8')).toBe('second');
    // No temporary file is left behind.
    expect((await readdir(workspace)).filter((name) => name.startsWith('.'))).toEqual([]);
  });

  it('needs the page token and the page’s origin; the cookie alone is not enough', async () => {
    expect((await post('a.onnx', Buffer.from('x'), { origin: `http://127.0.0.1:${host.port}` })).status).toBe(401);
    expect((await post('a.onnx', Buffer.from('x'), { 'x-lithe-token': 'wrong', origin: `http://127.0.0.1:${host.port}` })).status).toBe(
      401,
    );
    expect((await post('a.onnx', Buffer.from('x'), { 'x-lithe-token': host.token, origin: 'http://evil.example' })).status).toBe(401);
  });

  it('takes model files only, and keeps the name inside the workspace', async () => {
    const refused = await post('notes.txt', Buffer.from('x'));
    expect(refused.status).toBe(415);
    expect(refused.body).toMatch(/notes\.txt is not a model file/);
    const sneaky = await post('../../escape.onnx', Buffer.from('x'));
    expect(JSON.parse(sneaky.body).path).toBe(join(workspace, 'escape.onnx'));
    expect(uploadName('..\\..\\.hidden.tflite')).toBe('hidden.tflite');
    expect(uploadName('a\u0000b.onnx')).toBe('ab.onnx');
  });

  it('refuses a body over the size cap, with the limit in words', async () => {
    {
      const headers = { 'x-lithe-token': host.token, origin: `http://127.0.0.1:${host.port}` };
      const req = await new Promise<{ status: number; body: string }>((resolve, reject) => {
        const r = request(
          {
            host: '127.0.0.1',
            port: host.port,
            method: 'POST',
            path: '/files/upload?name=big.onnx',
            headers: { ...headers, 'content-length': String(2 * 1024 ** 3) },
          },
          (res) => {
            let text = '';
            res.on('data', (chunk: Buffer) => (text += chunk.toString()));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
          },
        );
        r.on('error', reject);
        r.write('x');
      });
      expect(req.status).toBe(413);
      expect(req.body).toMatch(/larger than 1 GiB/);
    }
  });
});
