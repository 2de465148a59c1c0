import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { LitheError } from '../errors';
import { readHead, readRecords } from './byte-records';

/** Header of an IDX file (MNIST format): element type code and dimensions. */
export interface IdxHeader {
  /** 0x08 uint8, 0x09 int8, 0x0B int16, 0x0C int32, 0x0D float32, 0x0E float64. */
  typeCode: number;
  dims: number[];
  headerBytes: number;
}

const ELEMENT_BYTES: Record<number, number> = { 0x08: 1, 0x09: 1, 0x0b: 2, 0x0c: 4, 0x0d: 4, 0x0e: 8 };

/** True for names like `t10k-images-idx3-ubyte(.gz)`. */
export function isIdxName(path: string): boolean {
  return /idx\d-ubyte(\.gz)?$|\.idx\d?(\.gz)?$/i.test(path);
}

/** Reads an IDX header (the file may be gzipped). */
export async function readIdxHeader(path: string): Promise<IdxHeader> {
  const head = await readHead(path, 4);
  if (head.length < 4 || head[0] !== 0 || head[1] !== 0 || !ELEMENT_BYTES[head[2]!])
    throw new LitheError('invalid-argument', 'This is not an IDX file (MNIST format).', { file: path });
  const rank = head[3]!;
  const full = await readHead(path, 4 + 4 * rank);
  const view = new DataView(full.buffer, full.byteOffset, full.byteLength);
  const dims = Array.from({ length: rank }, (_, i) => view.getUint32(4 + 4 * i, false));
  return { typeCode: head[2]!, dims, headerBytes: 4 + 4 * rank };
}

/** Streams the records (first dimension) of an IDX file as numbers, `group` records at a time. */
export async function* readIdxRecords(path: string, header: IdxHeader, group: number): AsyncGenerator<Float64Array[]> {
  const bytes = ELEMENT_BYTES[header.typeCode]!;
  const perRecord = header.dims.slice(1).reduce((n, d) => n * d, 1);
  for await (const records of readRecords(path, header.headerBytes, perRecord * bytes, group)) {
    yield records.map((record) => decodeBigEndian(record, header.typeCode, perRecord));
  }
}

function decodeBigEndian(record: Uint8Array, typeCode: number, count: number): Float64Array {
  const out = new Float64Array(count);
  const view = new DataView(record.buffer, record.byteOffset, record.byteLength);
  for (let i = 0; i < count; i++) {
    switch (typeCode) {
      case 0x08:
        out[i] = record[i]!;
        break;
      case 0x09:
        out[i] = view.getInt8(i);
        break;
      case 0x0b:
        out[i] = view.getInt16(2 * i, false);
        break;
      case 0x0c:
        out[i] = view.getInt32(4 * i, false);
        break;
      case 0x0d:
        out[i] = view.getFloat32(4 * i, false);
        break;
      default:
        out[i] = view.getFloat64(8 * i, false);
    }
  }
  return out;
}

/** Reads a whole IDX labels file (one value per record) into an array. */
export async function readIdxLabels(path: string): Promise<Int32Array> {
  const header = await readIdxHeader(path);
  const out = new Int32Array(header.dims[0] ?? 0);
  let at = 0;
  for await (const group of readIdxRecords(path, header, 4096)) for (const record of group) out[at++] = record[0]!;
  return out;
}

/** `…images-idx3-ubyte.gz` → `…labels-idx1-ubyte.gz` (the MNIST naming), for finding labels beside images. */
export function idxLabelsNameFor(path: string): string | undefined {
  const name = path.replace(/images-idx3-ubyte/, 'labels-idx1-ubyte');
  return name === path ? undefined : name;
}

/** The IDX images file a folder holds, preferring a test split (`t10k`, `test`); undefined when there is none. */
export async function idxImagesIn(folder: string): Promise<string | undefined> {
  const names = (await readdir(folder).catch(() => [] as string[])).filter((name) => isIdxName(name) && /images/i.test(name)).sort();
  const preferred = names.find((name) => /t10k|test/i.test(name)) ?? names[0];
  return preferred === undefined ? undefined : join(folder, preferred);
}
