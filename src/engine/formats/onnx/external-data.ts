import { closeSync, readSync, realpathSync } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import type { StringStringEntryProto, TensorProto } from 'onnx-buf';
import { LitheError } from '../../errors';
import { openRegularFileSync } from '../../files/regular-file';

/** Parsed `external_data` entries of a TensorProto. */
export interface ExternalRef {
  location: string;
  offset: number;
  length: number | undefined;
}

/** Reads the `location`/`offset`/`length` keys of a tensor stored outside the model file. */
export function parseExternalRef(entries: StringStringEntryProto[], tensorName: string, file: string | undefined): ExternalRef {
  let location: string | undefined;
  let offset = 0;
  let length: number | undefined;
  for (const e of entries) {
    if (e.key === 'location') location = e.value;
    else if (e.key === 'offset') offset = parseCount(e.value, 'offset', tensorName, file);
    else if (e.key === 'length') length = parseCount(e.value, 'length', tensorName, file);
  }
  if (!location) throw new LitheError('corrupt-model', `tensor '${tensorName}' is marked as external data but has no location`, { file });
  return { location, offset, length };
}

function parseCount(text: string, key: string, tensorName: string, file: string | undefined): number {
  const n = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(n)) {
    throw new LitheError('corrupt-model', `tensor '${tensorName}' has an invalid external data ${key} '${text}'`, { file });
  }
  return n;
}

/**
 * Resolves an external data location against the model's folder, refusing locations that are
 * absolute or escape the folder (also through symbolic links).
 */
export function resolveExternalPath(baseDir: string, location: string, tensorName: string, file: string | undefined): string {
  const escapes = (from: string, to: string): boolean => {
    const rel = relative(from, to);
    return rel === '' || rel.startsWith(`..${sep}`) || rel === '..' || isAbsolute(rel);
  };
  const target = resolve(baseDir, location);
  if (isAbsolute(location) || escapes(baseDir, target)) {
    throw new LitheError(
      'corrupt-model',
      `external data location '${location}' of tensor '${tensorName}' points outside the model's folder; refusing to read it`,
      { file },
    );
  }
  let real: string;
  try {
    real = realpathSync(target);
  } catch {
    throw new LitheError('not-found', `external data file '${location}' of tensor '${tensorName}' does not exist next to the model`, {
      file,
    });
  }
  if (escapes(realpathSync(baseDir), real)) {
    throw new LitheError(
      'corrupt-model',
      `external data location '${location}' of tensor '${tensorName}' links outside the model's folder; refusing to read it`,
      { file },
    );
  }
  return real;
}

/** Lazily opened external data files of one model; checks ranges eagerly, reads bytes on demand. */
export class ExternalDataFiles {
  readonly #sizes = new Map<string, number>();
  constructor(
    private readonly baseDir: string,
    private readonly file: string | undefined,
  ) {}

  /** Validates `ref` and returns a loader for its bytes plus their length. */
  open(ref: ExternalRef, tensorName: string, expectedBytes: number | undefined): { length: number; load: () => Uint8Array } {
    const path = resolveExternalPath(this.baseDir, ref.location, tensorName, this.file);
    let size = this.#sizes.get(path);
    const what = `the external data file '${ref.location}' of tensor '${tensorName}'`;
    if (size === undefined) {
      // A FIFO, device or socket is refused here, before anything waits on it.
      const opened = openRegularFileSync(path, what);
      closeSync(opened.fd);
      size = opened.size;
      this.#sizes.set(path, size);
    }
    const length = ref.length ?? expectedBytes ?? size - ref.offset;
    if (ref.offset + length > size) {
      throw new LitheError(
        'corrupt-model',
        `external data of tensor '${tensorName}' (bytes ${ref.offset}..${ref.offset + length} of '${ref.location}') runs past the end of that file (${size} bytes)`,
        { file: this.file },
      );
    }
    const load = (): Uint8Array => {
      const out = new Uint8Array(length);
      const { fd } = openRegularFileSync(path, what);
      try {
        let done = 0;
        while (done < length) {
          const n = readSync(fd, out, done, length - done, ref.offset + done);
          if (n === 0) throw new LitheError('corrupt-model', `${what} became shorter while it was being read`, { file: this.file });
          done += n;
        }
      } finally {
        closeSync(fd);
      }
      return out;
    };
    return { length, load };
  }
}

/** True when the tensor's data lives in an external file. */
export function isExternal(proto: TensorProto): boolean {
  return proto.dataLocation === 1;
}
