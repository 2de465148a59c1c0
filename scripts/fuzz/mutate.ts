// Seeded mutations of a model file's bytes, aimed where the structure lives: the first 8 KB (ONNX
// graph nodes, TFLite tables and vtables), the last 4 KB (ONNX inputs and outputs, TFLite buffers'
// table) and anywhere else.

/** A seeded generator of numbers in [0, 1) (mulberry32). */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// 32-bit values that break size and offset arithmetic.
const INTERESTING = [0, 1, 0x7f, 0x80, 0xff, 0x7fff, 0x8000, 0xffff, 0x7fffffff, 0x80000000, 0xffffffff, 0x40000000, 0x10000];

/** One mutant: its bytes and a short description of what was done. */
export interface Mutant {
  bytes: Uint8Array;
  how: string;
}

/** A mutant of `original` drawn with `random`. */
export function mutate(original: Uint8Array, random: () => number): Mutant {
  const bytes = Uint8Array.from(original);
  const size = bytes.length;
  const int = (n: number): number => Math.floor(random() * n);
  const offset = (): number => {
    const where = random();
    if (where < 0.4) return int(Math.min(size, 8192));
    if (where < 0.7) return Math.max(0, size - 1 - int(Math.min(size, 4096)));
    return int(size);
  };
  const kind = int(6);
  if (kind === 0) {
    const count = 1 + int(16);
    for (let i = 0; i < count; i++) {
      const at = offset();
      bytes[at] = (bytes[at] ?? 0) ^ (1 + int(255));
    }
    return { bytes, how: `flip ${count} bytes` };
  }
  if (kind === 1) {
    const at = int(size);
    return { bytes: bytes.subarray(0, at), how: `truncate at ${at}` };
  }
  if (kind === 2) {
    const at = offset() & ~3;
    const value = INTERESTING[int(INTERESTING.length)] ?? 0;
    new DataView(bytes.buffer).setUint32(Math.min(at, Math.max(0, size - 4)), value, true);
    return { bytes, how: `int32 0x${value.toString(16)} at ${at}` };
  }
  if (kind === 3) {
    const at = Math.min(offset(), Math.max(0, size - 5));
    bytes.set([0xff, 0xff, 0xff, 0xff, 0x0f].slice(0, size - at), at);
    return { bytes, how: `varint 2^32-1 at ${at}` };
  }
  if (kind === 4) {
    const from = offset();
    const length = 1 + int(Math.min(512, size - from));
    const to = offset();
    const out = new Uint8Array(size + length);
    out.set(bytes.subarray(0, to));
    out.set(bytes.subarray(from, from + length), to);
    out.set(bytes.subarray(to), to + length);
    return { bytes: out, how: `copy ${length} bytes from ${from} to ${to}` };
  }
  const at = offset();
  const length = 1 + int(256);
  bytes.fill(0, at, Math.min(size, at + length));
  return { bytes, how: `zero ${length} bytes at ${at}` };
}
