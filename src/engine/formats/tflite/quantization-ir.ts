import { isDeepStrictEqual } from 'node:util';
import type { ValueQuantization } from '../../ir/quantization';
import type { TfliteQuantization } from './tflite-model';

/** The IR form of a tensor's TFLite quantization (`undefined` when it has no scales). */
export function quantizationFromTflite(q: TfliteQuantization | null): ValueQuantization | undefined {
  if (!q?.scale?.length) return undefined;
  const out: ValueQuantization = { scale: [...q.scale], zeroPoint: (q.zeroPoint ?? []).map(Number), axis: q.quantizedDimension };
  if (q.min) out.min = [...q.min];
  if (q.max) out.max = [...q.max];
  return out;
}

/**
 * The TFLite quantization to write for a tensor: what was read when the IR's parameters are still
 * the same (so unchanged files keep every byte, custom quantization included), else built from them.
 */
export function quantizationToTflite(q: ValueQuantization | undefined, read: TfliteQuantization | null): TfliteQuantization | null {
  if (isDeepStrictEqual(q, quantizationFromTflite(read))) return read;
  if (!q) return null;
  return {
    min: q.min ? [...q.min] : null,
    max: q.max ? [...q.max] : null,
    scale: [...q.scale],
    zeroPoint: q.zeroPoint.map((z) => BigInt(Math.round(z))),
    quantizedDimension: q.axis,
    custom: null,
  };
}
