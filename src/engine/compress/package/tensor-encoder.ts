import { MAX_ALPHABET, TENSOR_MODE } from '../decoder/format';
import { planPlanes, planWithContexts } from './byte-planes';
import { ByteWriter, varintLength } from './byte-writer';
import { planCodebook, writeCodebook, type CodebookPlan } from './codebook-writer';
import { elementAt, isZeroElement, valueCounts } from './element-values';
import { countSymbols, planStream, writeStream } from './rans-encoder';
import { planRuns, zeroRuns, type ZeroRuns } from './zero-runs';

/** The coding modes, by name. */
export type TensorCoding = 'codebook' | 'sparse' | 'planes' | 'sparse-planes';

/** A tensor's elements coded in the smallest of the modes. */
export interface EncodedTensor {
  coding: TensorCoding;
  /** The coded data (mode byte first), as stored after the placement in a TENS section. */
  payload: Uint8Array;
  /** Distinct element values (undefined when there are too many to count). */
  distinct: number | undefined;
  /** Elements whose bytes are all zero. */
  zeros: number;
  /** Order-0 entropy of the values plus the bytes of the distinct values, at most the raw bytes. */
  entropyBytes: number;
}

/** Largest codebook the encoder tries. */
const CODEBOOK_LIMIT = MAX_ALPHABET;

interface Candidate {
  coding: TensorCoding;
  bytes: number;
  write: (w: ByteWriter) => void;
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

function sparseCandidate(data: Uint8Array, width: number, book: CodebookPlan, runs: ZeroRuns): Candidate {
  const index = new Map(book.values.map((v, i) => [v, i]));
  const nonzero = runs.positions.length;
  const values = Uint16Array.from(runs.positions, (i) => index.get(elementAt(data, i, width)) as number);
  const head = 1 + book.bytes + varintLength(nonzero);
  const runsPlan = nonzero > 0 ? planRuns(runs.gaps) : undefined;
  const valuePlan = book.values.length > 1 ? planStream(countSymbols(values, book.values.length), book.values.length) : undefined;
  return {
    coding: 'sparse',
    bytes: head + (runsPlan?.bytes ?? 0) + (runsPlan ? (valuePlan?.bytes ?? 0) : 0),
    write: (w) => {
      w.u8(TENSOR_MODE.sparse);
      writeCodebook(w, book);
      w.varint(nonzero);
      if (!runsPlan) return;
      runsPlan.write(w);
      if (valuePlan) writeStream(w, valuePlan, values);
    },
  };
}

function sparsePlanesCandidate(data: Uint8Array, width: number, runs: ZeroRuns): Candidate {
  const nonzero = runs.positions.length;
  const elements = new Uint8Array(nonzero * width);
  runs.positions.forEach((i, j) => elements.set(data.subarray(i * width, (i + 1) * width), j * width));
  const runsPlan = nonzero > 0 ? planRuns(runs.gaps) : undefined;
  const planes = nonzero > 0 ? planPlanes(elements, width) : undefined;
  return {
    coding: 'sparse-planes',
    bytes: 1 + varintLength(nonzero) + (runsPlan?.bytes ?? 0) + (planes?.bytes ?? 0),
    write: (w) => {
      w.u8(TENSOR_MODE.sparsePlanes).varint(nonzero);
      runsPlan?.write(w);
      planes?.write(w);
    },
  };
}

function planesCandidate(data: Uint8Array, width: number): Candidate {
  const planes = planPlanes(data, width);
  return { coding: 'planes', bytes: 1 + planes.bytes, write: (w) => planes.write(w.u8(TENSOR_MODE.planes)) };
}

/** Bytes `n` symbols with these counts take at their order-0 entropy. */
function order0Bytes(counts: Iterable<number>, n: number): number {
  let bits = 0;
  for (const c of counts) bits += c * Math.log2(n / c);
  return bits / 8;
}

/**
 * Codes the elements of one tensor (`data`, little-endian elements of `width` bytes) in whichever
 * mode is smallest: a codebook of its distinct values (dense), zero runs plus codebook (sparse), byte
 * planes, or zero runs plus byte planes of the non-zero elements. The result decodes to exactly `data`.
 */
export function encodeTensor(data: Uint8Array, width: number): EncodedTensor {
  const n = data.length / width;
  const planes = planesCandidate(data, width);
  const candidates: Candidate[] = [planes];
  const counts = width <= 4 ? valueCounts(data, width, Math.min(CODEBOOK_LIMIT, Math.max(1, Math.floor(n / 2)))) : undefined;
  let zeros = 0;
  if (counts) zeros = counts.get(0) ?? 0;
  else for (let i = 0; i < n; i++) if (isZeroElement(data, i, width)) zeros++;
  const runs = zeros > 0 ? zeroRuns(data, width, n - zeros) : undefined;
  if (runs && zeros * 4 >= n) candidates.push(sparsePlanesCandidate(data, width, runs));
  if (counts) {
    const byFrequency = [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0]).map(([v]) => v);
    const book = planCodebook(byFrequency, width);
    // Without many zeros, contexts and runs gain little on the order-0 entropy: skip the modes it already rules out.
    const worthTrying = zeros * 2 >= n || book.bytes + order0Bytes(counts.values(), n) < planes.bytes;
    if (worthTrying) candidates.push(codebookCandidate(data, width, book));
    if (worthTrying && runs)
      candidates.push(
        sparseCandidate(
          data,
          width,
          planCodebook(
            byFrequency.filter((v) => v !== 0),
            width,
          ),
          runs,
        ),
      );
  }
  const best = candidates.reduce((a, b) => (b.bytes < a.bytes ? b : a));
  const w = new ByteWriter();
  best.write(w);
  const entropyBytes = counts ? Math.min(data.length, order0Bytes(counts.values(), n) + counts.size * width) : data.length;
  return { coding: best.coding, payload: w.view().slice(), distinct: counts?.size, zeros, entropyBytes };
}
