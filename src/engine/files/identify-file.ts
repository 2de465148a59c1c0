import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import type { FileFacts } from '../../contract/schemas';
import type { EngineContext } from '../context';
import { LitheError, throwIfCancelled } from '../errors';
import { checkedSize, READ_FLAGS, readChunk } from './regular-file';
import { sniffFormat, type SniffResult } from './sniff-format';

export type { FileFacts };

const CHUNK_BYTES = 4 * 1024 * 1024;

/**
 * Identifies the file at `path` by content and hashes it; reports hashing progress.
 * Throws a LitheError naming the file when it is missing, a folder, or unreadable.
 */
export async function identifyFile(path: string, ctx: EngineContext = {}): Promise<FileFacts> {
  const absolute = resolve(path);
  // Opened without waiting and checked on the descriptor: a FIFO, a device or a socket is refused at once.
  const file = await open(absolute, READ_FLAGS).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'EISDIR') throw new LitheError('invalid-argument', 'This is a folder, not a file.', { file: absolute });
    if (error.code === 'ENXIO') throw new LitheError('invalid-argument', 'This is a socket, not a regular file.', { file: absolute });
    throw new LitheError(error.code === 'ENOENT' ? 'not-found' : 'unreadable', describeFsError(error), { file: absolute, cause: error });
  });
  try {
    const info = await file.stat();
    if (info.isDirectory()) throw new LitheError('invalid-argument', 'This is a folder, not a file.', { file: absolute });
    checkedSize(info, absolute, 'This file');
    const hash = createHash('sha256');
    const buffer = Buffer.alloc(Math.min(CHUNK_BYTES, Math.max(info.size, 1)));
    let sniff: SniffResult | undefined;
    let done = 0;
    while (done < info.size) {
      throwIfCancelled(ctx.signal);
      const bytesRead = await readChunk(file, buffer, { offset: 0, length: buffer.length, position: done }, absolute, 'the file');
      if (bytesRead === 0) throw new LitheError('unreadable', 'The file became shorter while it was being read.', { file: absolute });
      // The first chunk read for the hash also tells the format.
      sniff ??= sniffFormat(buffer.subarray(0, bytesRead), info.size);
      hash.update(buffer.subarray(0, bytesRead));
      done += bytesRead;
      ctx.onProgress?.({ stage: 'hashing', fraction: done / info.size });
    }
    sniff ??= sniffFormat(new Uint8Array(0), info.size);
    const facts: FileFacts = {
      path: absolute,
      name: basename(absolute),
      sizeBytes: info.size,
      sha256: hash.digest('hex'),
      format: sniff.format,
    };
    if (sniff.format === null) facts.reason = sniff.reason;
    return facts;
  } finally {
    await file.close();
  }
}

function describeFsError(error: NodeJS.ErrnoException): string {
  switch (error.code) {
    case 'ENOENT':
      return 'No such file.';
    case 'EACCES':
    case 'EPERM':
      return 'Permission denied: Lithe may not read this file.';
    default:
      return `Cannot read the file (${error.code ?? error.message}).`;
  }
}
