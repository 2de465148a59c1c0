import { PLANE_CODEC } from '../decoder/format';
import type { ByteWriter } from './byte-writer';
import { countSymbols, planStream, streamLowerBound, writeStream, type StreamPlan } from './rans-encoder';

/** Context of symbol i: 1 when the symbol before it is 0 (zeros cluster in pruned weights). */
export function zeroContexts(symbols: ArrayLike<number>): Uint8Array {
  const contexts = new Uint8Array(symbols.length);
  for (let i = 1; i < symbols.length; i++) contexts[i] = symbols[i - 1] === 0 ? 1 : 0;
  return contexts;
}

type ContextPlan = { plan: StreamPlan; contexts: Uint8Array | undefined };

/** The better of one context and two (previous symbol zero or not). */
export function planWithContexts(symbols: ArrayLike<number>, alphabet: number): ContextPlan;
/** The same, or `undefined` when neither can be smaller than `ceiling` bytes (then nothing is planned). */
export function planWithContexts(symbols: ArrayLike<number>, alphabet: number, ceiling: number): ContextPlan | undefined;
export function planWithContexts(symbols: ArrayLike<number>, alphabet: number, ceiling = Infinity): ContextPlan | undefined {
  const contexts = zeroContexts(symbols);
  const split = countSymbols(symbols, alphabet, 2, contexts);
  const merged = new Uint32Array(alphabet);
  for (let s = 0; s < alphabet; s++) merged[s] = (split[0]?.[s] ?? 0) + (split[1]?.[s] ?? 0);
  const trySingle = streamLowerBound([merged], alphabet) < ceiling;
  const tryDouble = streamLowerBound(split, alphabet) < ceiling;
  const single = trySingle ? planStream([merged], alphabet) : undefined;
  const double = tryDouble ? planStream(split, alphabet) : undefined;
  if (double && (!single || double.bytes < single.bytes)) return { plan: double, contexts };
  return single ? { plan: single, contexts: undefined } : undefined;
}

/** Byte planes of elements, each planned raw or rANS-coded, and their size. */
export interface PlanesPlan {
  bytes: number;
  write(w: ByteWriter): void;
}

/** Splits `elements` (`width` bytes each) into byte planes and plans each plane's storage. */
export function planPlanes(elements: Uint8Array, width: number): PlanesPlan {
  const n = elements.length / width;
  const planes = Array.from({ length: width }, (_, k) => {
    const plane = new Uint8Array(n);
    for (let i = 0; i < n; i++) plane[i] = elements[i * width + k] as number;
    // Planes of noise-like bytes (low mantissa bytes) cannot beat raw: the bound rules them out unplanned.
    const coded = planWithContexts(plane, 256, n);
    return coded && coded.plan.bytes < n ? { plane, ...coded, raw: false as const } : { plane, raw: true as const };
  });
  return {
    bytes: planes.reduce((sum, p) => sum + 1 + (p.raw ? n : p.plan.bytes), 0),
    write(w) {
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
