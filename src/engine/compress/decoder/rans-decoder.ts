// Decoder of Lithe's static rANS streams (range asymmetric numeral systems, Duda 2013), byte-wise
// renormalisation with a 32-bit state:
//   state x in [L, 256·L), L = 2^23; a symbol s with frequency f_s and cumulative start c_s out of
//   M = 2^scaleBits is read as  s = lookup[x mod M],  x ← f_s·⌊x / M⌋ + (x mod M) − c_s,
//   then while x < L: x ← 256·x + next byte.
// The encoder starts from x = L, so a stream decoded to its end must return to x = L.
import type { ByteReader } from './byte-reader';
import { MAX_ALPHABET, MAX_SCALE_BITS } from './format';

/** The lower bound of the coder state. */
export const RANS_L = 2 ** 23;

/** Symbol frequencies of one context, summing to 2^scaleBits. */
export interface FrequencyTable {
  freq: Uint32Array;
  start: Uint32Array;
  /** Slot (x mod M) → symbol. */
  lookup: Uint16Array;
}

/**
 * Reads `alphabetSize` frequencies written as varints, where a 0 is followed by the count of further
 * zeros (runs of absent symbols cost two bytes); they must sum to exactly 2^scaleBits.
 */
export function readFrequencyTable(reader: ByteReader, alphabetSize: number, scaleBits: number): FrequencyTable {
  const total = 2 ** scaleBits;
  const freq = new Uint32Array(alphabetSize);
  const start = new Uint32Array(alphabetSize);
  let sum = 0;
  for (let s = 0; s < alphabetSize; s++) {
    const f = reader.varintAtMost(total, 'a symbol frequency');
    if (f === 0) {
      s += reader.varintAtMost(alphabetSize - s - 1, 'a run of absent symbols');
      continue;
    }
    start[s] = sum;
    freq[s] = f;
    sum += f;
    if (sum > total) throw reader.fail(`symbol frequencies add up to more than ${total}`);
  }
  if (sum !== total) throw reader.fail(`symbol frequencies add up to ${sum}, not ${total}`);
  const lookup = new Uint16Array(total);
  for (let s = 0; s < alphabetSize; s++) if (freq[s]) lookup.fill(s, start[s], (start[s] as number) + (freq[s] as number));
  return { freq, start, lookup };
}

/** One rANS-coded stream of symbols, decoded front to back. */
export class RansStream {
  readonly #tables: FrequencyTable[];
  readonly #bytes: Uint8Array;
  readonly #bits: number;
  readonly #mask: number;
  readonly #reader: ByteReader;
  #pos = 4;
  #x: number;

  private constructor(reader: ByteReader, tables: FrequencyTable[], scaleBits: number, bytes: Uint8Array) {
    this.#reader = reader;
    this.#tables = tables;
    this.#bits = scaleBits;
    this.#mask = 2 ** scaleBits - 1;
    this.#bytes = bytes;
    if (bytes.length < 4) throw reader.fail('an entropy-coded stream is shorter than its 4-byte state');
    this.#x = ((bytes[0] as number) | ((bytes[1] as number) << 8) | ((bytes[2] as number) << 16)) + (bytes[3] as number) * 2 ** 24;
    if (this.#x < RANS_L || this.#x >= RANS_L * 256) throw reader.fail('an entropy-coded stream starts in an impossible state');
  }

  /**
   * Reads a stream header (precision, context count, one frequency table per context) and its
   * bytes. `maxContexts` is how many contexts the caller uses.
   */
  static read(reader: ByteReader, alphabetSize: number, maxContexts: number): RansStream {
    if (alphabetSize < 1 || alphabetSize > MAX_ALPHABET) throw reader.fail(`an alphabet of ${alphabetSize} symbols is not allowed`);
    const scaleBits = reader.u8();
    if (scaleBits < 1 || scaleBits > MAX_SCALE_BITS) throw reader.fail(`frequency precision of ${scaleBits} bits is not allowed`);
    const contexts = reader.u8();
    if (contexts < 1 || contexts > maxContexts) throw reader.fail(`${contexts} contexts where at most ${maxContexts} are allowed`);
    const tables: FrequencyTable[] = [];
    for (let c = 0; c < contexts; c++) tables.push(readFrequencyTable(reader, alphabetSize, scaleBits));
    const length = reader.varintAtMost(reader.remaining, 'an entropy-coded stream length');
    return new RansStream(reader, tables, scaleBits, reader.take(length));
  }

  /** The next symbol, using the frequency table of `context` (clamped to the contexts present). */
  decode(context = 0): number {
    const table = (this.#tables[context] ?? this.#tables[0]) as FrequencyTable;
    // The state stays below 2^31, so 32-bit shifts and masks are exact.
    const slot = this.#x & this.#mask;
    const s = table.lookup[slot] as number;
    let x = (table.freq[s] as number) * (this.#x >>> this.#bits) + slot - (table.start[s] as number);
    while (x < RANS_L) {
      if (this.#pos >= this.#bytes.length) throw this.#reader.fail('an entropy-coded stream ends before its last symbol');
      x = x * 256 + (this.#bytes[this.#pos++] as number);
    }
    this.#x = x;
    return s;
  }

  /** Fails unless the stream was decoded exactly to its end (the check that catches damaged data). */
  finish(): void {
    if (this.#pos !== this.#bytes.length || this.#x !== RANS_L)
      throw this.#reader.fail('an entropy-coded stream does not decode cleanly (damaged data)');
  }
}
