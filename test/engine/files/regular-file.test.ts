import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openRegularFile, readRegularFile, readRegularFileSync } from '../../../src/engine/files/regular-file';

const dir = mkdtempSync(join(tmpdir(), 'lithe-regular-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('reading only regular files', () => {
  it('reads a regular file, synchronously and not', async () => {
    const file = join(dir, 'data.bin');
    writeFileSync(file, Buffer.from([1, 2, 3]));
    expect([...readRegularFileSync(file)]).toEqual([1, 2, 3]);
    expect([...(await readRegularFile(file))]).toEqual([1, 2, 3]);
  });

  it('refuses a FIFO at once (opening one would wait for a writer forever)', async () => {
    const fifo = join(dir, 'pipe');
    execFileSync('mkfifo', [fifo]);
    const started = Date.now();
    expect(() => readRegularFileSync(fifo, 'the external data file')).toThrow(
      /the external data file is a named pipe \(FIFO\), not a regular file/,
    );
    await expect(readRegularFile(fifo)).rejects.toThrow(/named pipe/);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('refuses devices, folders and sockets', async () => {
    expect(() => readRegularFileSync('/dev/zero')).toThrow(/is a device/);
    expect(() => readRegularFileSync(dir)).toThrow(/is a folder/);
    const socketPath = join(dir, 'sock');
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(socketPath, resolve));
    try {
      expect(() => readRegularFileSync(socketPath)).toThrow(/is a socket/);
      await expect(openRegularFile(socketPath)).rejects.toThrow(/is a socket/);
    } finally {
      server.close();
    }
  });

  it('names the file and says it is missing, or too large', async () => {
    expect(() => readRegularFileSync(join(dir, 'missing'), 'the model')).toThrow(/missing: the model does not exist/);
    const file = join(dir, 'big.bin');
    writeFileSync(file, Buffer.alloc(100));
    await expect(readRegularFile(file, 'the labels file', { maxBytes: 10 })).rejects.toThrow(/100 bytes; more than the 10 bytes/);
  });
});
