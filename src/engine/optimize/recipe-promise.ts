import type { DType } from '../ir/dtype';
import type { Model } from '../ir/model';
import { constantTensors } from '../inspect/inspect-model';

/** What a quantization step promises about the weights, and which dtypes count as "left as they were". */
interface WeightPromise {
  what: string;
  left: ReadonlySet<DType>;
}

const FLOATS: ReadonlySet<DType> = new Set(['float32', 'float16', 'bfloat16', 'float64']);
const WIDE_FLOATS: ReadonlySet<DType> = new Set(['float32', 'float64']);
const PROMISES: Record<string, WeightPromise> = {
  'quantize-int8-dynamic': { what: 'in 8 bits', left: FLOATS },
  'quantize-int8-static': { what: 'in 8 bits', left: FLOATS },
  'quantize-mixed': { what: 'in 8 bits', left: FLOATS },
  'quantize-int4-weights': { what: 'in 4 bits', left: FLOATS },
  'quantize-fp16': { what: 'in float16', left: WIDE_FLOATS },
};

/** The step whose promise a recipe carries: its last quantization step, if any. */
export function promisingStep(passes: readonly string[]): string | undefined {
  return passes.filter((pass) => pass in PROMISES).at(-1);
}

/**
 * Whether a quantization step kept its promise, judged on the written model: the share of weight values (constant
 * tensors of rank 2 or more, in every subgraph) still in a float type they were meant to leave. More than half left
 * is a shortfall, said in words; `undefined` when the promise holds or the step promises nothing about weights.
 * Weights moved to another float type (float32 stored as float16, as mixed precision stores the layers it keeps in
 * float) are said to be so, not "as they were".
 */
export function weightShortfall(pass: string, title: string, before: Model, after: Model): string | undefined {
  const promise = PROMISES[pass];
  if (!promise) return undefined;
  const was = weightsByDtype(before, promise.left);
  const now = weightsByDtype(after, promise.left);
  const quantizable = sum(was.values());
  if (quantizable === 0) return undefined;
  const left = Math.min(1, sum(now.values()) / quantizable);
  if (left <= 0.5) return undefined;
  const percent = (share: number): string => `${(share * 100).toFixed(0)} %`;
  const head = `${title} left ${percent(left)} of the weights`;
  // Weights as they were: per float type, no more than the original held of it; the rest moved to a type that grew.
  const unchanged = Math.min(left, sum([...now].map(([dtype, count]) => Math.min(count, was.get(dtype) ?? 0))) / quantizable);
  const moved = left - unchanged;
  if (moved < 0.005) return `${head} as they were instead of ${promise.what}`;
  const into = [...now].filter(([dtype, count]) => count > (was.get(dtype) ?? 0)).map(([dtype]) => dtype);
  const kept = unchanged >= 0.005 ? `, ${percent(unchanged)} as they were` : '';
  return `${head} in float instead of ${promise.what} (${percent(moved)} stored as ${into.join(' or ')}${kept})`;
}

/** Weight values (constant tensors of rank 2 or more) of `model` in each of `dtypes`. */
function weightsByDtype(model: Model, dtypes: ReadonlySet<DType>): Map<DType, number> {
  const counts = new Map<DType, number>();
  for (const t of constantTensors(model)) {
    if (t.dims.length >= 2 && dtypes.has(t.dtype)) counts.set(t.dtype, (counts.get(t.dtype) ?? 0) + t.elementCount);
  }
  return counts;
}

function sum(values: Iterable<number>): number {
  let total = 0;
  for (const v of values) total += v;
  return total;
}

/**
 * A result larger than the original (by more than 1 %, same format) did less than any recipe promises, whatever it
 * changed: said in words with both sizes; `undefined` otherwise. A conversion to another format is not judged here.
 */
export function sizeShortfall(inputBytes: number, outputBytes: number, sameFormat: boolean): string | undefined {
  if (!sameFormat || inputBytes <= 0 || outputBytes <= inputBytes * 1.01) return undefined;
  return `the result is larger than the original (${inputBytes.toLocaleString('en-US')} → ${outputBytes.toLocaleString('en-US')} bytes)`;
}
