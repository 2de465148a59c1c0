import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { receiveUpload } from '../../src/server/upload';

const CAP = 1024 * 1024;
let server: Server;
let port: number;
let workspace: string;

beforeAll(async () => {
  workspace = await mkdtemp(join(tmpdir(), 'lithe-upload-chunked-'));
  server = createServer((req, res) => {
    void receiveUpload(req, new URL(req.url ?? '/', 'http://127.0.0.1'), res, { workspace, authorized: true, maxBytes: CAP });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await rm(workspace, { recursive: true, force: true });
});

/**
 * POSTs `total` bytes chunked (no Content-Length) as curl does: the whole body is sent, then the answer
 * read; a socket error while sending (the server reset the connection) is the result instead.
 */
function chunkedPost(total: number): Promise<{ status: number; body: string } | { error: string }> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let answer = '';
    let failed: string | null = null;
    const finish = (): void => {
      socket.destroy();
      // a reset while sending counts even when part of an answer arrived: curl reports only the failure
      if (failed !== null) return resolve({ error: failed });
      const [head, body = ''] = split(answer);
      const chunked = /transfer-encoding: chunked/i.test(head);
      resolve({ status: Number(/^HTTP\/1\.1 (\d+)/.exec(head)?.[1] ?? 0), body: chunked ? body.replace(/^[0-9a-f]+\r\n/gm, '') : body });
    };
    // the whole answer: as long as its Content-Length says, or up to the last chunk of a chunked one
    const answered = (): boolean => {
      const [head, body] = split(answer);
      if (body === undefined) return false;
      const length = /content-length: (\d+)/i.exec(head)?.[1];
      return length !== undefined ? Buffer.byteLength(body) >= Number(length) : body.endsWith('0\r\n\r\n');
    };
    const maybeFinish = (): void => {
      if (sent >= total && answered()) finish();
    };
    socket.on('data', (data: Buffer) => {
      answer += data.toString();
      maybeFinish();
    });
    socket.on('error', (error: NodeJS.ErrnoException) => (failed ??= error.code ?? error.message));
    socket.on('close', finish);
    socket.write('POST /files/upload?name=big.onnx HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n');
    const chunk = Buffer.concat([Buffer.from(`${(64 * 1024).toString(16)}\r\n`), Buffer.alloc(64 * 1024, 7), Buffer.from('\r\n')]);
    let sent = 0;
    const pump = (): void => {
      while (sent < total && failed === null) {
        sent += 64 * 1024;
        if (!socket.write(chunk)) return void socket.once('drain', pump);
      }
      socket.write('0\r\n\r\n'); // the last chunk; the socket stays open for the answer, as curl's does
      maybeFinish();
    };
    pump();
  });
}

/** An HTTP answer's head and body (undefined until the head is complete). */
function split(answer: string): [string, string | undefined] {
  const end = answer.indexOf('\r\n\r\n');
  return end < 0 ? [answer, undefined] : [answer.slice(0, end), answer.slice(end + 4)];
}

async function leftovers(): Promise<string[]> {
  for (let i = 0; i < 40; i++) {
    const names = await readdir(workspace);
    if (names.length === 0) return names;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return readdir(workspace);
}

describe('an upload over the cap without a declared size', () => {
  it('gets the 413 page with the limit in words, not a reset, and leaves nothing behind', async () => {
    for (const total of [2 * CAP, 8 * CAP, 64 * CAP, 3 * CAP, 16 * CAP]) {
      const answer = await chunkedPost(total);
      expect(answer, `${total} bytes`).toMatchObject({ status: 413 });
      expect('body' in answer ? answer.body : '').toMatch(/big\.onnx is larger than 1 MiB, the most Lithe takes by upload/);
    }
    expect(await leftovers()).toEqual([]);
  });

  it('still takes one under the cap', async () => {
    expect(await chunkedPost(CAP / 2)).toMatchObject({ status: 201 });
    await rm(join(workspace, 'big.onnx'));
  });
});
