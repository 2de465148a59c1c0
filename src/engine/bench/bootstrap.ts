import { seededRandom } from '../runtime/onnx/input-data';
import { percentile } from './stats';

/** A ratio with its confidence interval. */
export interface RatioInterval {
  median: number;
  low: number;
  high: number;
  confidence: number;
}

function medianOf(values: Float64Array, scratch: Float64Array): number {
  scratch.set(values);
  scratch.sort();
  return percentile(scratch, 0.5);
}

/**
 * median(b) / median(a) with a paired percentile-bootstrap confidence interval: pairs (a[i], b[i])
 * were measured back to back, so they are resampled together, which keeps slow drifts of the
 * machine (thermal, other load) from masquerading as a difference.
 */
export function bootstrapMedianRatio(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  options: { iterations?: number; confidence?: number; seed?: number } = {},
): RatioInterval {
  const n = Math.min(a.length, b.length);
  if (n === 0) throw new RangeError('bootstrapMedianRatio needs samples');
  const iterations = options.iterations ?? 2000;
  const confidence = options.confidence ?? 0.95;
  const random = seededRandom(options.seed ?? 12345);
  const fullA = Float64Array.from(a).subarray(0, n);
  const fullB = Float64Array.from(b).subarray(0, n);
  const sampleA = new Float64Array(n);
  const sampleB = new Float64Array(n);
  const scratch = new Float64Array(n);
  const ratios = new Float64Array(iterations);
  for (let k = 0; k < iterations; k++) {
    for (let i = 0; i < n; i++) {
      const j = Math.floor(random() * n); // random() < 1, so j < n
      sampleA[i] = fullA[j]!;
      sampleB[i] = fullB[j]!;
    }
    ratios[k] = medianOf(sampleB, scratch) / medianOf(sampleA, scratch);
  }
  ratios.sort();
  const tail = (1 - confidence) / 2;
  return {
    median: medianOf(fullB, scratch) / medianOf(fullA, scratch),
    low: percentile(ratios, tail),
    high: percentile(ratios, 1 - tail),
    confidence,
  };
}
