import { LitheError } from '../errors';
import { halfToFloat as halfAt } from '../verify/ort-runner';

/** A parsed `.npy` array: shape and values as numbers (booleans and integers converted). */
export interface NpyArray {
  shape: number[];
  /** NumPy dtype descriptor, e.g. `<f4`, `|u1`. */
  descr: string;
  values: Float32Array;
}

/** Parses a `.npy` header: descriptor, shape and where the data starts. */
export function parseNpyHeader(bytes: Uint8Array, file?: string): { descr: string; shape: number[]; fortran: boolean; dataOffset: number } {
  const magic = String.fromCharCode(...bytes.subarray(0, 6));
  if (magic !== '\x93NUMPY') throw new LitheError('invalid-argument', 'This is not a .npy file.', { file });
  const major = bytes[6]!;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const start = major === 1 ? 10 : 12;
  const header = new TextDecoder().decode(bytes.subarray(start, start + headerLength));
  const descr = /'descr':\s*'([^']+)'/.exec(header)?.[1];
  const shapeText = /'shape':\s*\(([^)]*)\)/.exec(header)?.[1];
  if (!descr || shapeText === undefined) throw new LitheError('invalid-argument', 'The .npy header is not readable.', { file });
  const shape = shapeText
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map(Number);
  return { descr, shape, fortran: /'fortran_order':\s*True/.test(header), dataOffset: start + headerLength };
}

/** Bytes per element of a NumPy descriptor Lithe can read. */
export function npyElementBytes(descr: string, file?: string): number {
  const size = Number(descr.slice(2));
  if (!/^[<>|=][fiub][1248]$/.test(descr) || (descr[1] === 'f' && size < 2))
    throw new LitheError('unsupported', `.npy element type "${descr}" is not supported (use float, int, uint or bool).`, { file });
  return size;
}

/** Decodes `count` elements of `descr` from `bytes` into float32. */
export function decodeNpyValues(bytes: Uint8Array, descr: string, count: number, file?: string): Float32Array {
  const size = npyElementBytes(descr, file);
  const little = descr[0] !== '>';
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Float32Array(count);
  const kind = descr[1];
  for (let i = 0; i < count; i++) {
    const at = i * size;
    if (kind === 'f')
      out[i] = size === 4 ? view.getFloat32(at, little) : size === 8 ? view.getFloat64(at, little) : halfAt(view.getUint16(at, little));
    else if (kind === 'u' || kind === 'b')
      out[i] =
        size === 1
          ? view.getUint8(at)
          : size === 2
            ? view.getUint16(at, little)
            : size === 4
              ? view.getUint32(at, little)
              : Number(view.getBigUint64(at, little));
    else
      out[i] =
        size === 1
          ? view.getInt8(at)
          : size === 2
            ? view.getInt16(at, little)
            : size === 4
              ? view.getInt32(at, little)
              : Number(view.getBigInt64(at, little));
  }
  return out;
}

/** Parses a whole `.npy` file held in memory. */
export function parseNpy(bytes: Uint8Array, file?: string): NpyArray {
  const header = parseNpyHeader(bytes, file);
  if (header.fortran && header.shape.length > 1)
    throw new LitheError('unsupported', 'Fortran-ordered .npy arrays are not supported; save with np.ascontiguousarray.', { file });
  const count = header.shape.reduce((n, d) => n * d, 1);
  return {
    shape: header.shape,
    descr: header.descr,
    values: decodeNpyValues(bytes.subarray(header.dataOffset), header.descr, count, file),
  };
}
