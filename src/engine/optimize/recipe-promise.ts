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
 */
export function weightShortfall(pass: string, title: string, before: Model, after: Model): string | undefined {
  const promise = PROMISES[pass];
  if (!promise) return undefined;
  const weights = (model: Model, dtypes: ReadonlySet<DType>): number =>
    constantTensors(model)
      .filter((t) => t.dims.length >= 2 && dtypes.has(t.dtype))
      .reduce((sum, t) => sum + t.elementCount, 0);
  const quantizable = weights(before, promise.left);
  if (quantizable === 0) return undefined;
  const left = Math.min(1, weights(after, promise.left) / quantizable);
  if (left <= 0.5) return undefined;
  return `${title} left ${(left * 100).toFixed(0)} % of the weights as they were instead of ${promise.what}`;
}

/**
 * A result larger than the original (by more than 1 %, same format) did less than any recipe promises, whatever it
 * changed: said in words with both sizes; `undefined` otherwise. A conversion to another format is not judged here.
 */
export function sizeShortfall(inputBytes: number, outputBytes: number, sameFormat: boolean): string | undefined {
  if (!sameFormat || inputBytes <= 0 || outputBytes <= inputBytes * 1.01) return undefined;
  return `the result is larger than the original (${inputBytes.toLocaleString('en-US')} → ${outputBytes.toLocaleString('en-US')} bytes)`;
}
