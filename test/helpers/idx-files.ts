import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

/** An IDX file's bytes (MNIST format): magic with `typeCode` (0x08 = uint8), the dimensions, the values. */
export function idxBytes(typeCode: number, dims: readonly number[], values: Uint8Array): Buffer {
  const header = Buffer.alloc(4 + 4 * dims.length);
  header[2] = typeCode;
  header[3] = dims.length;
  dims.forEach((d, i) => header.writeUInt32BE(d, 4 + 4 * i));
  return Buffer.concat([header, values]);
}

/**
 * Writes a folder laid out as MNIST-style data sets ship: gzipped IDX images (`count` grey `size`×`size`
 * pictures of stripes) and their labels (0–9 in turn), a train and a t10k split. Returns the folder.
 */
export function writeIdxFolder(folder: string, count: number, size: number): string {
  mkdirSync(folder, { recursive: true });
  const pixels = Uint8Array.from({ length: count * size * size }, (_, i) => {
    const sample = Math.floor(i / (size * size));
    const row = Math.floor(i / size) % size;
    return (row + sample) % 4 < 2 ? 230 : 20;
  });
  const labels = Uint8Array.from({ length: count }, (_, i) => i % 10);
  for (const split of ['train', 't10k']) {
    writeFileSync(join(folder, `${split}-images-idx3-ubyte.gz`), gzipSync(idxBytes(0x08, [count, size, size], pixels)));
    writeFileSync(join(folder, `${split}-labels-idx1-ubyte.gz`), gzipSync(idxBytes(0x08, [count], labels)));
  }
  return folder;
}
