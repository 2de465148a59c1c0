import { createReadStream } from 'node:fs';
import { createGunzip } from 'node:zlib';

/** True when the file starts with the gzip magic bytes (checked by name for speed). */
export function isGzipName(path: string): boolean {
  return /\.gz$/i.test(path);
}

/**
 * Streams a file (gunzipping `.gz`) as fixed-size records after a header of `skip` bytes, in groups
 * of up to `group` records; memory stays at one group.
 */
export async function* readRecords(path: string, skip: number, recordBytes: number, group: number): AsyncGenerator<Uint8Array[]> {
  const raw = createReadStream(path, { highWaterMark: 1 << 20 });
  const stream = isGzipName(path) ? raw.pipe(createGunzip()) : raw;
  let pending: Buffer = Buffer.alloc(0);
  let skipped = 0;
  let records: Uint8Array[] = [];
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      let data = chunk;
      if (skipped < skip) {
        const take = Math.min(skip - skipped, data.length);
        skipped += take;
        data = data.subarray(take);
      }
      pending = pending.length ? Buffer.concat([pending, data]) : data;
      let offset = 0;
      while (pending.length - offset >= recordBytes) {
        records.push(new Uint8Array(pending.subarray(offset, offset + recordBytes)));
        offset += recordBytes;
        if (records.length === group) {
          yield records;
          records = [];
        }
      }
      pending = pending.subarray(offset);
    }
    if (records.length) yield records;
  } finally {
    raw.destroy();
  }
}

/** The first `count` bytes of a file, gunzipped when it is `.gz`. */
export async function readHead(path: string, count: number): Promise<Uint8Array> {
  for await (const group of readRecords(path, 0, count, 1)) return group[0]!;
  return new Uint8Array(0);
}
