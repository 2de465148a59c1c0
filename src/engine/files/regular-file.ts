import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { LitheError } from '../errors';

// Models, external data and data files are read only from regular files. A FIFO would block the
// reader until someone writes to it (forever), a device such as /dev/zero never ends, and a socket
// cannot be read as a file: each is refused with a message naming it. The file is opened without
// blocking first and checked on the open descriptor, so it cannot be swapped between check and read.

// O_NONBLOCK makes opening a FIFO return at once instead of waiting for a writer; it changes nothing
// for regular files. Windows has no FIFOs of this kind and no such flag.
/** Flags to open a file for reading without waiting (a FIFO with no writer would otherwise block). */
export const READ_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);

/** How long an asynchronous read may make no progress before it fails (a stalled network drive, …). */
export const READ_STALL_MS = 60_000;

/** A regular file opened for reading, with its size. */
export interface OpenedFile {
  fd: number;
  size: number;
}

/**
 * Opens `path` for reading when it is a regular file; else throws a LitheError naming it and saying
 * what it is. `what` names the file's role in messages ("the model", "the external data file").
 */
export function openRegularFileSync(path: string, what = 'the file'): OpenedFile {
  let fd: number;
  try {
    fd = openSync(path, READ_FLAGS);
  } catch (error) {
    throw openError(error, path, what);
  }
  try {
    return { fd, size: checkedSize(fstatSync(fd), path, what) };
  } catch (error) {
    closeSync(fd);
    throw error;
  }
}

/** A largest size to read, and optionally the reason given when a file is larger. */
export interface SizeLimit {
  maxBytes: number;
  /** Why larger files are refused, e.g. "ONNX protobuf files are limited to 2 GB". */
  why?: string;
}

/** The whole content of the regular file at `path` (see {@link openRegularFileSync}), refused when larger than `limit`. */
export function readRegularFileSync(path: string, what = 'the file', limit?: SizeLimit): Buffer {
  const { fd, size } = openRegularFileSync(path, what);
  try {
    refuseLarger(size, limit, path, what);
    const bytes = Buffer.allocUnsafe(size);
    let done = 0;
    while (done < size) {
      const n = readSync(fd, bytes, done, size - done, done);
      if (n === 0) throw new LitheError('unreadable', `${what} became shorter while it was being read`, { file: path });
      done += n;
    }
    return bytes;
  } catch (error) {
    if (error instanceof LitheError) throw error;
    throw readError(error, path, what);
  } finally {
    closeSync(fd);
  }
}

/** Asynchronous {@link openRegularFileSync}. */
export async function openRegularFile(path: string, what = 'the file'): Promise<{ handle: FileHandle; size: number }> {
  const handle = await open(path, READ_FLAGS).catch((error: unknown) => {
    throw openError(error, path, what);
  });
  try {
    return { handle, size: checkedSize(await handle.stat(), path, what) };
  } catch (error) {
    await handle.close();
    throw error;
  }
}

/**
 * The whole content of the regular file at `path`, read in chunks; a chunk that takes longer than
 * {@link READ_STALL_MS} fails the read instead of waiting forever.
 */
export async function readRegularFile(path: string, what = 'the file', limit?: SizeLimit): Promise<Buffer> {
  const { handle, size } = await openRegularFile(path, what);
  try {
    refuseLarger(size, limit, path, what);
    const bytes = Buffer.allocUnsafe(size);
    let done = 0;
    while (done < size) {
      const n = await readChunk(handle, bytes, { offset: done, length: Math.min(size - done, 16 << 20), position: done }, path, what);
      if (n === 0) throw new LitheError('unreadable', `${what} became shorter while it was being read`, { file: path });
      done += n;
    }
    return bytes;
  } finally {
    await handle.close();
  }
}

/** Where one read goes: `length` bytes of the file from `position` into the buffer at `offset`. */
export interface ChunkRead {
  offset: number;
  length: number;
  position: number;
}

/** One read (see {@link ChunkRead}); fails when it makes no progress for {@link READ_STALL_MS}. */
export async function readChunk(handle: FileHandle, into: Uint8Array, chunk: ChunkRead, path: string, what: string): Promise<number> {
  let timer: NodeJS.Timeout | undefined;
  const stalled = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new LitheError(
            'unreadable',
            `reading ${what} made no progress for ${READ_STALL_MS / 1000} s; is it on a drive that stopped answering?`,
            { file: path },
          ),
        ),
      READ_STALL_MS,
    );
  });
  try {
    const read = handle.read(into, chunk.offset, chunk.length, chunk.position).then(
      (result) => result.bytesRead,
      (error: unknown) => {
        throw readError(error, path, what);
      },
    );
    return await Promise.race([read, stalled]);
  } finally {
    clearTimeout(timer);
  }
}

/** The size of the file `info` describes; throws a LitheError saying what it is when it is not a regular file. */
export function checkedSize(info: Stats, path: string, what: string): number {
  if (info.isFile()) return info.size;
  const kind = info.isDirectory()
    ? 'a folder'
    : info.isFIFO()
      ? 'a named pipe (FIFO)'
      : info.isCharacterDevice() || info.isBlockDevice()
        ? 'a device'
        : info.isSocket()
          ? 'a socket'
          : 'not a regular file';
  throw new LitheError('invalid-argument', `${what} is ${kind}, not a regular file; Lithe reads only regular files`, { file: path });
}

function refuseLarger(size: number, limit: SizeLimit | undefined, path: string, what: string): void {
  if (limit === undefined || size <= limit.maxBytes) return;
  const why = limit.why ?? `more than the ${limit.maxBytes} bytes Lithe reads for it`;
  throw new LitheError('unsupported', `${what} is ${size} bytes; ${why}`, { file: path });
}

function openError(error: unknown, path: string, what: string): LitheError {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT' || code === 'ENOTDIR') return new LitheError('not-found', `${what} does not exist`, { file: path, cause: error });
  if (code === 'EACCES' || code === 'EPERM')
    return new LitheError('unreadable', `permission denied: Lithe may not read ${what}`, { file: path, cause: error });
  // Opening a socket file fails with ENXIO.
  if (code === 'ENXIO')
    return new LitheError('invalid-argument', `${what} is a socket, not a regular file; Lithe reads only regular files`, { file: path });
  if (code === 'EISDIR') return new LitheError('invalid-argument', `${what} is a folder, not a regular file`, { file: path });
  return new LitheError('unreadable', `${what} cannot be opened (${code ?? String(error)})`, { file: path, cause: error });
}

function readError(error: unknown, path: string, what: string): LitheError {
  const code = (error as NodeJS.ErrnoException).code;
  return new LitheError('unreadable', `${what} cannot be read (${code ?? String(error)})`, { file: path, cause: error });
}
