import type { ByteReader } from './byte-reader';
import { readCodebook } from './codebook';
import { PLANE_CODEC, TENSOR_MODE } from './format';
import { RansStream } from './rans-decoder';
import { readRunValues } from './run-values';

/** Where a coded tensor's bytes go in the original file. */
export interface TensorPlacement {
  offset: number;
  length: number;
  width: number;
}

/** Reads the placement at the start of a TENS section; the reader is left at the coded data. */
export function readPlacement(reader: ByteReader): TensorPlacement {
  const offset = reader.varint();
  const length = reader.varint();
  const width = reader.u8();
  if (width !== 1 && width !== 2 && width !== 4 && width !== 8) throw reader.fail(`element width ${width} is not 1, 2, 4 or 8 bytes`);
  if (length === 0 || length % width !== 0) throw reader.fail(`${length} bytes is not a whole number of ${width}-byte elements`);
  return { offset, length, width };
}

function writeElement(out: Uint8Array, at: number, entries: Uint8Array, symbol: number, width: number): void {
  const from = symbol * width;
  for (let k = 0; k < width; k++) out[at + k] = entries[from + k] as number;
}

function decodeCodebook(reader: ByteReader, out: Uint8Array, p: TensorPlacement): void {
  const { entries, count } = readCodebook(reader, p.width, 1);
  const stream = RansStream.read(reader, count, 2);
  const n = p.length / p.width;
  let previous = -1;
  for (let i = 0; i < n; i++) {
    const s = stream.decode(previous === 0 ? 1 : 0);
    writeElement(out, p.offset + i * p.width, entries, s, p.width);
    previous = s;
  }
  stream.finish();
}

/** Reads the zero runs of a sparse tensor of `n` elements: the index of each of its `nonzero` non-zero elements, in order. */
function readRuns(reader: ByteReader, n: number, nonzero: number): Uint32Array {
  const positions = readRunValues(reader, nonzero);
  let at = -1;
  for (let j = 0; j < nonzero; j++) {
    at += (positions[j] as number) + 1;
    if (at >= n) throw reader.fail(`a run of zeros goes past the tensor's ${n} elements`);
    positions[j] = at;
  }
  return positions;
}

function decodeSparse(reader: ByteReader, out: Uint8Array, p: TensorPlacement): void {
  const { entries, count } = readCodebook(reader, p.width, 0);
  const n = p.length / p.width;
  out.fill(0, p.offset, p.offset + p.length);
  const nonzero = reader.varintAtMost(n, 'the count of non-zero elements');
  if (nonzero === 0) return;
  if (count === 0) throw reader.fail('non-zero elements but an empty codebook');
  const positions = readRuns(reader, n, nonzero);
  const values = count > 1 ? RansStream.read(reader, count, 1) : undefined;
  for (let j = 0; j < nonzero; j++)
    writeElement(out, p.offset + (positions[j] as number) * p.width, entries, values ? values.decode() : 0, p.width);
  values?.finish();
}

/** Reads `width` byte planes of `count` elements, handing byte k of element i to `put(i, k, byte)`. */
function readPlanes(reader: ByteReader, count: number, width: number, put: (i: number, k: number, byte: number) => void): void {
  for (let k = 0; k < width; k++) {
    const codec = reader.u8();
    if (codec === PLANE_CODEC.raw) {
      const plane = reader.take(count);
      for (let i = 0; i < count; i++) put(i, k, plane[i] as number);
    } else if (codec === PLANE_CODEC.rans) {
      const stream = RansStream.read(reader, 256, 2);
      let previous = -1;
      for (let i = 0; i < count; i++) {
        previous = stream.decode(previous === 0 ? 1 : 0);
        put(i, k, previous);
      }
      stream.finish();
    } else throw reader.fail(`byte plane ${k} has unknown storage ${codec}`);
  }
}

function decodePlanes(reader: ByteReader, out: Uint8Array, p: TensorPlacement): void {
  readPlanes(reader, p.length / p.width, p.width, (i, k, byte) => {
    out[p.offset + i * p.width + k] = byte;
  });
}

function decodeSparsePlanes(reader: ByteReader, out: Uint8Array, p: TensorPlacement): void {
  const n = p.length / p.width;
  out.fill(0, p.offset, p.offset + p.length);
  const nonzero = reader.varintAtMost(n, 'the count of non-zero elements');
  if (nonzero === 0) return;
  const positions = readRuns(reader, n, nonzero);
  readPlanes(reader, nonzero, p.width, (j, k, byte) => {
    out[p.offset + (positions[j] as number) * p.width + k] = byte;
  });
}

/** Decodes a TENS section's coded data into `out` at its placement. */
export function decodeTensor(reader: ByteReader, out: Uint8Array, placement: TensorPlacement): void {
  const mode = reader.u8();
  if (mode === TENSOR_MODE.codebook) decodeCodebook(reader, out, placement);
  else if (mode === TENSOR_MODE.sparse) decodeSparse(reader, out, placement);
  else if (mode === TENSOR_MODE.planes) decodePlanes(reader, out, placement);
  else if (mode === TENSOR_MODE.sparsePlanes) decodeSparsePlanes(reader, out, placement);
  else throw reader.fail(`coding mode ${mode} is unknown (made by a newer Lithe?)`);
  reader.expectEnd();
}
