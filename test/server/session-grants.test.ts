import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { createEngineService, type EngineService } from '../../src/engine/service';
import { createAccessPolicy } from '../../src/server/access-policy';
import { startWebHost, type WebHost } from '../../src/server/web-host';
import { encode, mlpModel } from '../engine/helpers/onnx-builders';

// Two tabs (two WebSockets with the one launch token, each naming its own page session): the folder one
// of them chose in the file browser is written by that tab only (also after it reconnects), never by
// the other, by a tab opened later, or by a socket that names no valid session.
let base: string;
let home: string;
let service: EngineService;
let host: WebHost;

beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), 'lithe-session-grants-'));
  home = join(base, 'home');
  await mkdir(join(home, 'models'), { recursive: true });
  await writeFile(join(home, 'models', 'mlp.onnx'), encode(mlpModel()));
  await writeFile(join(base, 'index.html'), '<!doctype html><title>Lithe</title>');
  service = createEngineService({ host: 'web' });
  const policy = createAccessPolicy({ readFolders: [home], litheFolders: [join(base, 'runs')] });
  host = await startWebHost({ port: 0, rendererDir: base, service, policy, workspace: join(base, 'workspace') });
});
afterAll(async () => {
  await host.close();
  await service.close();
  await rm(base, { recursive: true, force: true });
});

type Reply = { ok: boolean; result?: unknown; error?: { code: string; message: string } };

/** One tab: a WebSocket with the launch token, and a call that waits for its reply. */
async function tab(
  session: string = randomUUID(),
): Promise<{ call: (command: string, args: unknown) => Promise<Reply>; close: () => void }> {
  const url = `ws://127.0.0.1:${host.port}/api?token=${host.token}&session=${session}`;
  const socket = new WebSocket(url, { headers: { origin: `http://127.0.0.1:${host.port}` } });
  await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
  let next = 0;
  const call = (command: string, args: unknown): Promise<Reply> => {
    const id = `r${next++}`;
    return new Promise((resolve) => {
      const onMessage = (data: Buffer): void => {
        const message = JSON.parse(data.toString()) as Reply & { type: string; id: string };
        if (message.type !== 'reply' || message.id !== id) return;
        socket.off('message', onMessage);
        resolve(message);
      };
      socket.on('message', onMessage);
      socket.send(JSON.stringify({ type: 'request', id, command, args }));
    });
  };
  return { call, close: () => socket.close() };
}

const placePaths = async (t: Awaited<ReturnType<typeof tab>>): Promise<string[]> => {
  const reply = await t.call('files.places', {});
  return (reply.result as { places: { path: string }[] }).places.map((p) => p.path);
};

describe('folder grants belong to the page session that made them', { timeout: 180_000 }, () => {
  it('a folder chosen in one tab is written by that tab only', async () => {
    const sessionA = randomUUID();
    const a = await tab(sessionA);
    const b = await tab();
    const folder = join(home, 'models');
    const model = join(folder, 'mlp.onnx');
    try {
      // before the choice neither tab may write there
      expect((await a.call('model.pack', { input: model, output: join(folder, 'a0.lithe') })).error?.code).toBe('not-allowed');
      expect((await a.call('files.choose', { path: folder })).ok).toBe(true);
      expect(await placePaths(a)).toContain(folder);

      const byA = await a.call('model.pack', { input: model, output: join(folder, 'a.lithe') });
      expect(byA.ok, JSON.stringify(byA.error)).toBe(true);
      expect((await stat(join(folder, 'a.lithe'))).size).toBeGreaterThan(0);

      const byB = await b.call('model.pack', { input: model, output: join(folder, 'b.lithe') });
      expect(byB.error?.code).toBe('not-allowed');
      expect(await placePaths(b)).not.toContain(folder);
      await expect(stat(join(folder, 'b.lithe'))).rejects.toThrow();
    } finally {
      a.close();
      b.close();
    }
    for (const session of [randomUUID(), 'short', '']) {
      const later = await tab(session);
      try {
        expect((await later.call('model.pack', { input: model, output: join(folder, 'c.lithe') })).error?.code).toBe('not-allowed');
      } finally {
        later.close();
      }
    }
    // the same tab reconnecting (its socket dropped) keeps what it chose
    const again = await tab(sessionA);
    try {
      expect((await again.call('model.pack', { input: model, output: join(folder, 'a2.lithe') })).ok).toBe(true);
    } finally {
      again.close();
    }
    // the host's own policy (what `lithe serve --allow` sets) was not widened either
    expect(host.policy.allows(join(folder, 'x.onnx'), 'write')).toBe(false);
  });
});
