// Encoder of Lithe's static rANS streams (the decoder's header comment gives the arithmetic). The
// encoder runs back to front from x = L: for symbol s (frequency f, start c, M = 2^scaleBits) it
// first emits low bytes while x ≥ 2^(31 − scaleBits)·f, then sets x ← ⌊x / f⌋·M + (x mod f) + c.
import { MAX_SCALE_BITS } from '../decoder/format';
import { RANS_L } from '../decoder/rans-decoder';
import { ByteWriter, varintLength } from './byte-writer';

/** The frequency tables and expected size of one stream, chosen from symbol counts. */
export interface StreamPlan {
  alphabet: number;
  scaleBits: number;
  /** One table per context, each summing to 2^scaleBits. */
  freqs: Uint32Array[];
  /** Bytes the stream takes with its header and tables (the coded part is an estimate within a few bytes). */
  bytes: number;
}

/** Scales symbol counts to frequencies summing to `total`, every present symbol at least 1. */
export function normalizeCounts(counts: ArrayLike<number>, total: number): Uint32Array {
  const freq = new Uint32Array(counts.length);
  let n = 0;
  let top = 0;
  for (let s = 0; s < counts.length; s++) {
    n += counts[s] as number;
    if ((counts[s] as number) > (counts[top] as number)) top = s;
  }
  if (n === 0) {
    freq[0] = total;
    return freq;
  }
  let sum = 0;
  for (let s = 0; s < counts.length; s++) {
    const c = counts[s] as number;
    if (c > 0) freq[s] = Math.max(1, Math.round((c * total) / n));
    sum += freq[s] as number;
  }
  if (sum < total) freq[top] = (freq[top] as number) + total - sum;
  let excess = sum - total;
  if (excess > 0) {
    const order = Array.from(freq.keys())
      .filter((s) => (freq[s] as number) > 1)
      .sort((a, b) => (freq[b] as number) - (freq[a] as number));
    const spare = order.reduce((acc, s) => acc + (freq[s] as number) - 1, 0);
    for (const s of order) {
      const cut = Math.min(Math.floor((((freq[s] as number) - 1) * excess) / spare), excess);
      freq[s] = (freq[s] as number) - cut;
      excess -= cut;
    }
    for (let i = 0; excess > 0; i = (i + 1) % order.length) {
      const s = order[i] as number;
      if ((freq[s] as number) > 1) {
        freq[s] = (freq[s] as number) - 1;
        excess--;
      }
    }
  }
  return freq;
}

/**
 * A frequency table as it is stored: a varint per symbol, a zero followed by the count of further
 * zeros. `entry` receives each varint, and whether it is the zero-run pair.
 */
function visitTable(freq: Uint32Array, entry: (value: number, zeroRun: boolean) => void): void {
  for (let s = 0; s < freq.length; s++) {
    if (freq[s] === 0) {
      let run = 0;
      while (s + 1 < freq.length && freq[s + 1] === 0) {
        s++;
        run++;
      }
      entry(run, true);
    } else entry(freq[s] as number, false);
  }
}

function writeTable(w: ByteWriter, freq: Uint32Array): void {
  visitTable(freq, (value, zeroRun) => (zeroRun ? w.u8(0).varint(value) : w.varint(value)));
}

function tableBytes(freq: Uint32Array): number {
  let bytes = 0;
  visitTable(freq, (value, zeroRun) => (bytes += (zeroRun ? 1 : 0) + varintLength(value)));
  return bytes;
}

/**
 * A size no plan of these per-context counts can go below: the order-0 entropy of each context, a
 * table byte per present symbol and the stream's fixed header (an exact bound: coded bits are a
 * cross-entropy, never below the entropy).
 */
export function streamLowerBound(counts: ArrayLike<number>[], alphabet: number): number {
  let bits = 0;
  let bytes = 6;
  for (const c of counts) {
    let n = 0;
    for (let s = 0; s < alphabet; s++) n += c[s] as number;
    for (let s = 0; s < alphabet; s++) {
      const k = c[s] as number;
      if (k === 0) continue;
      bits += k * Math.log2(n / k);
      bytes++;
    }
  }
  return bytes + bits / 8;
}

/** Picks the precision that makes the stream smallest for these per-context symbol counts. */
export function planStream(counts: ArrayLike<number>[], alphabet: number): StreamPlan {
  let present = 1;
  for (const c of counts) {
    let p = 0;
    for (let s = 0; s < alphabet; s++) if ((c[s] as number) > 0) p++;
    present = Math.max(present, p);
  }
  let best: StreamPlan | undefined;
  let worse = 0;
  for (let scaleBits = Math.max(1, Math.ceil(Math.log2(present))); scaleBits <= MAX_SCALE_BITS && worse < 2; scaleBits++) {
    const total = 2 ** scaleBits;
    let bits = 0;
    let bytes = 2;
    const freqs = counts.map((c) => {
      const f = normalizeCounts(c, total);
      for (let s = 0; s < alphabet; s++) if ((c[s] as number) > 0) bits += (c[s] as number) * Math.log2(total / (f[s] as number));
      bytes += tableBytes(f);
      return f;
    });
    const coded = Math.ceil(bits / 8) + 4;
    bytes += coded + varintLength(coded);
    // The size falls and then rises with precision (better probabilities, then costlier tables).
    if (!best || bytes < best.bytes) {
      best = { alphabet, scaleBits, freqs, bytes };
      worse = 0;
    } else worse++;
  }
  return best as StreamPlan;
}

/** Counts of each symbol per context (`contexts[i]` is the context of symbol i; all 0 when absent). */
export function countSymbols(symbols: ArrayLike<number>, alphabet: number, contextCount = 1, contexts?: Uint8Array): Uint32Array[] {
  const counts = Array.from({ length: contextCount }, () => new Uint32Array(alphabet));
  for (let i = 0; i < symbols.length; i++) {
    const table = counts[contexts ? (contexts[i] as number) : 0] as Uint32Array;
    const s = symbols[i] as number;
    table[s] = (table[s] as number) + 1;
  }
  return counts;
}

/** Writes a stream: precision, context count, tables, then the rANS-coded symbols. */
export function writeStream(w: ByteWriter, plan: StreamPlan, symbols: ArrayLike<number>, contexts?: Uint8Array): void {
  const total = 2 ** plan.scaleBits;
  const starts = plan.freqs.map((f) => {
    const start = new Uint32Array(f.length);
    let sum = 0;
    for (let s = 0; s < f.length; s++) {
      start[s] = sum;
      sum += f[s] as number;
    }
    return start;
  });
  const buffer = new Uint8Array(2 * symbols.length + 8);
  let pos = buffer.length;
  let x = RANS_L;
  const limitScale = 2 ** (31 - plan.scaleBits);
  let freq = plan.freqs[0] as Uint32Array;
  let start = starts[0] as Uint32Array;
  for (let i = symbols.length - 1; i >= 0; i--) {
    if (contexts) {
      const context = contexts[i] as number;
      freq = plan.freqs[context] as Uint32Array;
      start = starts[context] as Uint32Array;
    }
    const s = symbols[i] as number;
    const f = freq[s] as number;
    if (f === 0) throw new Error(`symbol ${s} has no frequency in its context`);
    const xMax = limitScale * f;
    while (x >= xMax) {
      buffer[--pos] = x & 0xff;
      x >>>= 8;
    }
    // x < 2^31 throughout, so integer division and products stay exact in 32-bit arithmetic.
    const q = (x / f) | 0;
    x = q * total + (x - q * f) + (start[s] as number);
  }
  buffer[--pos] = x >>> 24;
  buffer[--pos] = (x >>> 16) & 0xff;
  buffer[--pos] = (x >>> 8) & 0xff;
  buffer[--pos] = x & 0xff;
  w.u8(plan.scaleBits).u8(plan.freqs.length);
  for (const f of plan.freqs) writeTable(w, f);
  w.varint(buffer.length - pos).bytes(buffer.subarray(pos));
}
