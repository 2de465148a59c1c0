import { writeFileSync } from 'node:fs';

/** Writes a NumPy .npy file (version 1.0, little-endian, C order) of float32 or int64 values. */
export function writeNpy(path: string, shape: number[], values: Float32Array | BigInt64Array): void {
  const descr = values instanceof Float32Array ? '<f4' : '<i8';
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': (${shape.join(', ')}${shape.length === 1 ? ',' : ''}), }`;
  const unpadded = 10 + header.length + 1;
  header += ' '.repeat((64 - (unpadded % 64)) % 64) + '\n';
  const preamble = Buffer.alloc(10);
  preamble.write('\x93NUMPY', 0, 'latin1');
  preamble.writeUInt8(1, 6);
  preamble.writeUInt8(0, 7);
  preamble.writeUInt16LE(header.length, 8);
  writeFileSync(
    path,
    Buffer.concat([preamble, Buffer.from(header, 'latin1'), Buffer.from(values.buffer, values.byteOffset, values.byteLength)]),
  );
}

/** Deterministic pseudo-random numbers in [0, 1) (a small LCG), so test data is the same on every run. */
export function seededValues(count: number, seed = 1): Float32Array {
  const values = new Float32Array(count);
  let state = seed >>> 0;
  for (let i = 0; i < count; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    values[i] = state / 2 ** 32;
  }
  return values;
}
