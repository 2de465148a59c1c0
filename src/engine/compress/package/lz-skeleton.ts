// Encoder of skeleton codec 2 (LZ77 sequences, entropy-coded; the decoder's header comment gives
// the layout). Matches are found with a hash of the next MIN_MATCH bytes and a bounded chain of
// earlier positions with the same hash; a match is taken greedily unless the next position starts
// a longer one (one step of lazy matching).
import { MIN_MATCH } from '../decoder/lz-skeleton';
import type { ByteWriter } from './byte-writer';
import { varintLength } from './byte-writer';
import { countSymbols, planStream, writeStream } from './rans-encoder';
import { planRuns } from './zero-runs';

const HASH_BITS = 16;
const CHAIN_DEPTH = 24;
const MAX_DISTANCE = 1 << 24;
const MAX_MATCH = 1 << 16;

/** An LZ77 parse: the literal bytes in order, and per sequence its literal count, match length and distance. */
interface LzParse {
  literals: Uint8Array;
  runs: Uint32Array;
  lengths: Uint32Array;
  distances: Uint32Array;
}

function hashAt(data: Uint8Array, i: number): number {
  const v =
    ((data[i] as number) | ((data[i + 1] as number) << 8) | ((data[i + 2] as number) << 16) | ((data[i + 3] as number) << 24)) >>> 0;
  return Math.imul(v, 0x9e3779b1) >>> (32 - HASH_BITS);
}

class MatchFinder {
  readonly #head = new Int32Array(1 << HASH_BITS).fill(-1);
  readonly #previous: Int32Array;
  #inserted = 0;

  constructor(readonly data: Uint8Array) {
    this.#previous = new Int32Array(data.length);
  }

  /** Enters every position before `end` into the chains. */
  insertUpTo(end: number): void {
    const last = this.data.length - MIN_MATCH;
    for (; this.#inserted < end && this.#inserted <= last; this.#inserted++) {
      const h = hashAt(this.data, this.#inserted);
      this.#previous[this.#inserted] = this.#head[h] as number;
      this.#head[h] = this.#inserted;
    }
  }

  /** The longest earlier match at `i` (length 0 when none reaches MIN_MATCH). */
  longest(i: number): { length: number; distance: number } {
    const data = this.data;
    let best = { length: 0, distance: 0 };
    if (i > data.length - MIN_MATCH) return best;
    this.insertUpTo(i);
    const limit = Math.min(MAX_MATCH, data.length - i);
    let candidate = this.#head[hashAt(data, i)] as number;
    for (let depth = 0; candidate >= 0 && depth < CHAIN_DEPTH && i - candidate <= MAX_DISTANCE; depth++) {
      if (data[candidate + best.length] === data[i + best.length]) {
        let n = 0;
        while (n < limit && data[candidate + n] === data[i + n]) n++;
        if (n > best.length) best = { length: n, distance: i - candidate };
        if (n === limit) break;
      }
      candidate = this.#previous[candidate] as number;
    }
    return best.length >= MIN_MATCH ? best : { length: 0, distance: 0 };
  }
}

function parse(data: Uint8Array): LzParse {
  const finder = new MatchFinder(data);
  const literals: number[] = [];
  const runs: number[] = [];
  const lengths: number[] = [];
  const distances: number[] = [];
  let run = 0;
  let i = 0;
  let lastDistance = 0;
  while (i < data.length) {
    const here = finder.longest(i);
    if (here.length === 0 || (here.length < 32 && finder.longest(i + 1).length > here.length)) {
      literals.push(data[i] as number);
      run++;
      i++;
      continue;
    }
    runs.push(run);
    lengths.push(here.length - MIN_MATCH);
    // 0 repeats the previous distance (fields recur at the same stride in a model file)
    distances.push(here.distance === lastDistance ? 0 : here.distance);
    lastDistance = here.distance;
    run = 0;
    i += here.length;
  }
  return {
    literals: Uint8Array.from(literals),
    runs: Uint32Array.from(runs),
    lengths: Uint32Array.from(lengths),
    distances: Uint32Array.from(distances),
  };
}

/** A skeleton coded as LZ77 sequences: its size (after the codec byte and length) and how to write it. */
export interface LzPlan {
  bytes: number;
  write(w: ByteWriter): void;
}

/** Parses `data` and plans its streams. */
export function planLzSkeleton(data: Uint8Array): LzPlan {
  const p = parse(data);
  const sequences = p.runs.length;
  const literalPlan = p.literals.length > 0 ? planStream(countSymbols(p.literals, 256), 256) : undefined;
  const valuePlans = sequences > 0 ? [planRuns(p.runs), planRuns(p.lengths), planRuns(p.distances)] : [];
  return {
    bytes:
      varintLength(sequences) +
      varintLength(p.literals.length) +
      (literalPlan?.bytes ?? 0) +
      valuePlans.reduce((n, plan) => n + plan.bytes, 0),
    write(w) {
      w.varint(sequences).varint(p.literals.length);
      if (literalPlan) writeStream(w, literalPlan, p.literals);
      for (const plan of valuePlans) plan.write(w);
    },
  };
}
