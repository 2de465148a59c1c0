import { MAX_ALPHABET, PLANE_CODEC, TENSOR_MODE } from '../decoder/format';
import { runAlphabetSize, runSymbol } from '../decoder/run-lengths';
import { BitWriter } from './bit-writer';
import { ByteWriter, varintLength } from './byte-writer';
import { planCodebook, writeCodebook, type CodebookPlan } from './codebook-writer';
import { elementAt, valueCounts } from './element-values';
import { countSymbols, planStream, writeStream, type StreamPlan } from './rans-encoder';

/** The coding modes, by name. */
export type TensorCoding = 'codebook' | 'sparse' | 'planes';

/** A tensor's elements coded in the smallest of the modes. */
export interface EncodedTensor {
  coding: TensorCoding;
  /** The coded data (mode byte first), as stored after the placement in a TENS section. */
  payload: Uint8Array;
  /** Distinct element values (undefined when there are too many to count). */
  distinct: number | undefined;
  /** Elements whose bytes are all zero. */
  zeros: number;
}

/** Largest codebook the encoder tries. */
const CODEBOOK_LIMIT = MAX_ALPHABET;

interface Candidate {
  coding: TensorCoding;
  bytes: number;
  write: (w: ByteWriter) => void;
}

/** Context of symbol i: 1 when the symbol before it is 0 (zeros cluster in pruned weights). */
function zeroContexts(symbols: ArrayLike<number>): Uint8Array {
  const contexts = new Uint8Array(symbols.length);
  for (let i = 1; i < symbols.length; i++) contexts[i] = symbols[i - 1] === 0 ? 1 : 0;
  return contexts;
}

/** The better of one context and two (previous symbol zero or not). */
function planWithContexts(symbols: ArrayLike<number>, alphabet: number): { plan: StreamPlan; contexts: Uint8Array | undefined } {
  const contexts = zeroContexts(symbols);
  const split = countSymbols(symbols, alphabet, 2, contexts);
  const merged = new Uint32Array(alphabet);
  for (let s = 0; s < alphabet; s++) merged[s] = (split[0]?.[s] ?? 0) + (split[1]?.[s] ?? 0);
  const single = planStream([merged], alphabet);
  const double = planStream(split, alphabet);
  return double.bytes < single.bytes ? { plan: double, contexts } : { plan: single, contexts: undefined };
}

function codebookCandidate(data: Uint8Array, width: number, book: CodebookPlan): Candidate {
  const index = new Map(book.values.map((v, i) => [v, i]));
  const n = data.length / width;
  const symbols = new Uint16Array(n);
  let last = -1;
  let lastSymbol = 0;
  for (let i = 0; i < n; i++) {
    const v = elementAt(data, i, width);
    if (v !== last) {
      last = v;
      lastSymbol = index.get(v) as number;
    }
    symbols[i] = lastSymbol;
  }
  const { plan, contexts } = planWithContexts(symbols, book.values.length);
  return {
    coding: 'codebook',
    bytes: 1 + book.bytes + plan.bytes,
    write: (w) => {
      w.u8(TENSOR_MODE.codebook);
      writeCodebook(w, book);
      writeStream(w, plan, symbols, contexts);
    },
  };
}

function runPlan(gaps: Uint32Array): { directBits: number; plan: StreamPlan; extraBits: number } {
  const histogram = new Map<number, number>();
  let largest = 0;
  for (const g of gaps) {
    histogram.set(g, (histogram.get(g) ?? 0) + 1);
    largest = Math.max(largest, g);
  }
  let best: { directBits: number; plan: StreamPlan; extraBits: number } | undefined;
  const maxDirect = Math.min(12, Math.ceil(Math.log2(largest + 1)));
  for (let d = 0; d <= maxDirect; d++) {
    const counts = new Uint32Array(runAlphabetSize(d));
    let extraBits = 0;
    for (const [g, c] of histogram) {
      const { symbol, bits } = runSymbol(g, d);
      counts[symbol] = (counts[symbol] as number) + c;
      extraBits += bits * c;
    }
    const plan = planStream([counts], counts.length);
    const cost = plan.bytes + Math.ceil(extraBits / 8);
    if (!best || cost < best.plan.bytes + Math.ceil(best.extraBits / 8)) best = { directBits: d, plan, extraBits };
  }
  return best as { directBits: number; plan: StreamPlan; extraBits: number };
}

function sparseCandidate(data: Uint8Array, width: number, book: CodebookPlan, nonzero: number): Candidate {
  const index = new Map(book.values.map((v, i) => [v, i]));
  const n = data.length / width;
  const gaps = new Uint32Array(nonzero);
  const values = new Uint16Array(nonzero);
  let j = 0;
  let last = -1;
  for (let i = 0; i < n; i++) {
    const v = elementAt(data, i, width);
    if (v === 0) continue;
    gaps[j] = i - last - 1;
    values[j++] = index.get(v) as number;
    last = i;
  }
  const head = 1 + book.bytes + varintLength(nonzero);
  if (nonzero === 0) {
    const write = (w: ByteWriter): void => {
      writeCodebook(w.u8(TENSOR_MODE.sparse), book);
      w.varint(0);
    };
    return { coding: 'sparse', bytes: head, write };
  }
  const runs = runPlan(gaps);
  const valuePlan = book.values.length > 1 ? planStream(countSymbols(values, book.values.length), book.values.length) : undefined;
  const extraBytes = Math.ceil(runs.extraBits / 8);
  return {
    coding: 'sparse',
    bytes: head + 1 + runs.plan.bytes + varintLength(extraBytes) + extraBytes + (valuePlan?.bytes ?? 0),
    write: (w) => {
      w.u8(TENSOR_MODE.sparse);
      writeCodebook(w, book);
      w.varint(nonzero).u8(runs.directBits);
      const symbols = new Uint32Array(nonzero);
      const bits = new BitWriter();
      gaps.forEach((g, k) => {
        const s = runSymbol(g, runs.directBits);
        symbols[k] = s.symbol;
        bits.write(s.extra, s.bits);
      });
      writeStream(w, runs.plan, symbols);
      const extra = bits.finish();
      w.varint(extra.length).bytes(extra);
      if (valuePlan) writeStream(w, valuePlan, values);
    },
  };
}

function planesCandidate(data: Uint8Array, width: number): Candidate {
  const n = data.length / width;
  const planes = Array.from({ length: width }, (_, k) => {
    const plane = new Uint8Array(n);
    for (let i = 0; i < n; i++) plane[i] = data[i * width + k] as number;
    const coded = planWithContexts(plane, 256);
    return { plane, ...coded, raw: coded.plan.bytes >= n };
  });
  return {
    coding: 'planes',
    bytes: 1 + planes.reduce((sum, p) => sum + 1 + (p.raw ? n : p.plan.bytes), 0),
    write: (w) => {
      w.u8(TENSOR_MODE.planes);
      for (const p of planes) {
        if (p.raw) w.u8(PLANE_CODEC.raw).bytes(p.plane);
        else {
          w.u8(PLANE_CODEC.rans);
          writeStream(w, p.plan, p.plane, p.contexts);
        }
      }
    },
  };
}

/**
 * Codes the elements of one tensor (`data`, little-endian elements of `width` bytes) in whichever
 * mode is smallest: a codebook of its distinct values (dense), zero runs plus codebook (sparse), or
 * byte planes. The result decodes to exactly `data`.
 */
export function encodeTensor(data: Uint8Array, width: number): EncodedTensor {
  const n = data.length / width;
  const planes = planesCandidate(data, width);
  const candidates: Candidate[] = [planes];
  const counts = width <= 4 ? valueCounts(data, width, Math.min(CODEBOOK_LIMIT, Math.max(1, Math.floor(n / 2)))) : undefined;
  let zeros = 0;
  if (counts) {
    zeros = counts.get(0) ?? 0;
    const byFrequency = [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0]).map(([v]) => v);
    const book = planCodebook(byFrequency, width);
    // Without many zeros, contexts and runs gain little on the order-0 entropy: skip the modes it already rules out.
    const worthTrying = zeros * 2 >= n || book.bytes + order0Bytes(counts.values(), n) < planes.bytes;
    if (worthTrying) candidates.push(codebookCandidate(data, width, book));
    if (worthTrying && zeros > 0) {
      const nonzero = byFrequency.filter((v) => v !== 0);
      candidates.push(sparseCandidate(data, width, planCodebook(nonzero, width), n - zeros));
    }
  } else {
    for (let i = 0; i < n; i++) if (isZero(data, i, width)) zeros++;
  }
  const best = candidates.reduce((a, b) => (b.bytes < a.bytes ? b : a));
  const w = new ByteWriter();
  best.write(w);
  return { coding: best.coding, payload: w.view().slice(), distinct: counts?.size, zeros };
}

/** Bytes `n` symbols with these counts take at their order-0 entropy. */
function order0Bytes(counts: Iterable<number>, n: number): number {
  let bits = 0;
  for (const c of counts) bits += c * Math.log2(n / c);
  return bits / 8;
}

function isZero(data: Uint8Array, i: number, width: number): boolean {
  for (let k = 0; k < width; k++) if (data[i * width + k] !== 0) return false;
  return true;
}
