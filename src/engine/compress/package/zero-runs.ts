import { runAlphabetSize, runSymbol } from '../decoder/run-lengths';
import { BitWriter } from './bit-writer';
import { varintLength, type ByteWriter } from './byte-writer';
import { planStream, writeStream, type StreamPlan } from './rans-encoder';
import { isZeroElement } from './element-values';

/** The zero runs of a tensor: before each non-zero element, how many zeros precede it. */
export interface ZeroRuns {
  gaps: Uint32Array;
  /** Index of each non-zero element. */
  positions: Uint32Array;
}

/** Finds the non-zero elements of `data` (elements of `width` bytes) and the zero runs between them. */
export function zeroRuns(data: Uint8Array, width: number, nonzero: number): ZeroRuns {
  const gaps = new Uint32Array(nonzero);
  const positions = new Uint32Array(nonzero);
  const n = data.length / width;
  let j = 0;
  let last = -1;
  for (let i = 0; i < n; i++) {
    if (isZeroElement(data, i, width)) continue;
    gaps[j] = i - last - 1;
    positions[j++] = i;
    last = i;
  }
  return { gaps, positions };
}

/** How the runs will be coded and the bytes they take. */
export interface RunsPlan {
  bytes: number;
  write(w: ByteWriter): void;
}

/** Picks the number of directly coded run lengths (2^d) that makes the runs smallest. */
export function planRuns(gaps: Uint32Array): RunsPlan {
  const histogram = new Map<number, number>();
  let largest = 0;
  for (const g of gaps) {
    histogram.set(g, (histogram.get(g) ?? 0) + 1);
    largest = Math.max(largest, g);
  }
  let best: { directBits: number; plan: StreamPlan; extraBytes: number } | undefined;
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
    const extraBytes = Math.ceil(extraBits / 8);
    if (!best || plan.bytes + extraBytes < best.plan.bytes + best.extraBytes) best = { directBits: d, plan, extraBytes };
  }
  const chosen = best as { directBits: number; plan: StreamPlan; extraBytes: number };
  return {
    bytes: 1 + chosen.plan.bytes + varintLength(chosen.extraBytes) + chosen.extraBytes,
    write(w) {
      w.u8(chosen.directBits);
      const symbols = new Uint32Array(gaps.length);
      const bits = new BitWriter();
      gaps.forEach((g, k) => {
        const s = runSymbol(g, chosen.directBits);
        symbols[k] = s.symbol;
        bits.write(s.extra, s.bits);
      });
      writeStream(w, chosen.plan, symbols);
      const extra = bits.finish();
      w.varint(extra.length).bytes(extra);
    },
  };
}
