import type { DataSource } from './batch';
import { sampleSize, type InputLayout } from './input-layout';

/** The warning every report shows when random data stood in for real data. */
export const RANDOM_DATA_WARNING =
  'NO REAL DATA: random inputs were used. Calibration from random data is usually poor and accuracy cannot be measured; give --data with real samples.';

/** Seeded uniform random samples in [0, 1): a last resort, always flagged `random`. */
export function randomSource(layout: InputLayout, count: number, seed = 1): DataSource {
  const dims = layout.sampleDims.map((d) => d || 1);
  const size = sampleSize({ sampleDims: dims });
  return {
    description: `${count} random samples`,
    count,
    random: true,
    labeled: false,
    sampleDims: dims,
    async *batches(batchSize, limit) {
      let state = seed >>> 0 || 1;
      const next = (): number => {
        state ^= state << 13;
        state ^= state >>> 17;
        state ^= state << 5;
        return (state >>> 0) / 4294967296;
      };
      const total = Math.min(count, limit ?? Infinity);
      for (let start = 0; start < total; start += batchSize) {
        const n = Math.min(batchSize, total - start);
        yield { data: Float32Array.from({ length: n * size }, next), count: n };
      }
    },
  };
}
