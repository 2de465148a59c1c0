import { inflateRawSync } from 'node:zlib';
import { LitheError } from '../errors';

/**
 * Reads the entries of a zip archive held in memory (stored or deflated, no zip64 or encryption):
 * enough for NumPy's `.npz` files. Returns name → uncompressed bytes, decompressing on demand.
 */
export function zipEntries(bytes: Uint8Array, file?: string): Map<string, () => Uint8Array> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let end = -1;
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 22 - 65535); i--) {
    if (view.getUint32(i, true) === 0x06054b50) {
      end = i;
      break;
    }
  }
  if (end < 0) throw new LitheError('invalid-argument', 'This is not a zip/.npz archive.', { file });
  const count = view.getUint16(end + 10, true);
  let at = view.getUint32(end + 16, true);
  const entries = new Map<string, () => Uint8Array>();
  for (let n = 0; n < count; n++) {
    if (view.getUint32(at, true) !== 0x02014b50) throw new LitheError('invalid-argument', 'The zip directory is damaged.', { file });
    const method = view.getUint16(at + 10, true);
    const compressed = view.getUint32(at + 20, true);
    const nameLength = view.getUint16(at + 28, true);
    const extraLength = view.getUint16(at + 30, true);
    const commentLength = view.getUint16(at + 32, true);
    const local = view.getUint32(at + 42, true);
    const name = new TextDecoder().decode(bytes.subarray(at + 46, at + 46 + nameLength));
    if (compressed === 0xffffffff || local === 0xffffffff)
      throw new LitheError('unsupported', 'zip64 archives are not supported.', { file });
    entries.set(name, () => {
      const dataStart = local + 30 + view.getUint16(local + 26, true) + view.getUint16(local + 28, true);
      const data = bytes.subarray(dataStart, dataStart + compressed);
      if (method === 0) return data;
      if (method === 8) return new Uint8Array(inflateRawSync(data));
      throw new LitheError('unsupported', `zip compression method ${method} is not supported.`, { file });
    });
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}
