// Reads IDX files (the MNIST and Fashion-MNIST format), gzipped or not: two zero bytes, a type byte
// (0x08 = unsigned byte, the only type read here), the rank, one big-endian uint32 per dimension,
// then the data. A file that does not follow it is an error naming the file.
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { at } from '../../test/helpers/at';

/** Images of an IDX3 file: `count` images of `rows` × `cols` unsigned bytes, row-major. */
export interface IdxImages {
  count: number;
  rows: number;
  cols: number;
  pixels: Uint8Array;
}

function readIdx(path: string, rank: number): { dims: number[]; data: Uint8Array } {
  const raw = readFileSync(path);
  const bytes = path.endsWith('.gz') ? gunzipSync(raw) : raw;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 4 || view.getUint16(0) !== 0 || view.getUint8(2) !== 0x08) {
    throw new Error(`${path}: not an IDX file of unsigned bytes`);
  }
  if (view.getUint8(3) !== rank) throw new Error(`${path}: IDX rank ${view.getUint8(3)}, expected ${rank}`);
  const start = 4 + 4 * rank;
  if (bytes.length < start) throw new Error(`${path}: IDX header cut short`);
  const dims = Array.from({ length: rank }, (_, i) => view.getUint32(4 + 4 * i));
  const data = bytes.subarray(start);
  const size = dims.reduce((a, b) => a * b, 1);
  if (data.length !== size) throw new Error(`${path}: IDX data has ${data.length} bytes, dimensions ${dims.join(' × ')} need ${size}`);
  return { dims, data };
}

/** The images of an IDX3 file (images-idx3-ubyte). */
export function readIdxImages(path: string): IdxImages {
  const { dims, data } = readIdx(path, 3);
  return { count: at(dims, 0), rows: at(dims, 1), cols: at(dims, 2), pixels: data };
}

/** The labels of an IDX1 file (labels-idx1-ubyte), one byte each; `count` must match the images'. */
export function readIdxLabels(path: string, count: number): Uint8Array {
  const { data } = readIdx(path, 1);
  if (data.length !== count) throw new Error(`${path}: ${data.length} labels for ${count} images`);
  return data;
}
