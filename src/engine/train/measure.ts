import type { ModelFormat } from '../formats/model-io';
import { runBatch } from '../evaluate/run-batch';
import { openRunner } from '../verify/verifier';
import { agreeBatch, MetricSums, scoreBatch } from './metrics';
import type { Samples } from './samples';
import type { Teacher } from './teacher';

/** A model file to measure: its bytes as written, its format, and the fixed batch size of its input (if any). */
export interface MeasuredFile {
  bytes: Uint8Array;
  format: ModelFormat;
  file: string;
  fixedBatch: number | undefined;
  /** How the measurement names the model in errors ("the trained model"). */
  role: string;
}

/** Top-1 accuracy on the labels, and top-1 agreement with a reference model, over the samples measured. */
export interface Measure {
  samples: number;
  accuracy?: number;
  agreement?: number;
}

/**
 * Loads a model file in its own runtime and runs it on the first `limit` samples: top-1 accuracy
 * when the samples have labels, agreement with `reference` when one is given.
 */
export async function measureFile(model: MeasuredFile, samples: Samples, reference?: Teacher, limit = 10000): Promise<Measure> {
  const runner = await openRunner(model.bytes, model.format, model.role, { file: model.file });
  const sums = new MetricSums();
  const count = Math.min(samples.count, limit);
  try {
    for (let start = 0; start < count; start += 256) {
      const n = Math.min(256, count - start);
      const data = samples.data.subarray(start * samples.size, (start + n) * samples.size);
      const out = await runBatch(runner, { data, count: n }, samples.sampleDims, model.fixedBatch);
      const scores = out.values[0]!;
      scoreBatch(sums, scores, n, samples.labels?.subarray(start, start + n), { probabilities: false, withLoss: false });
      if (reference) agreeBatch(sums, scores, await reference.scores(data, n, samples.sampleDims), n);
    }
  } finally {
    await runner.dispose();
  }
  return {
    samples: count,
    ...(sums.accuracy !== undefined ? { accuracy: sums.accuracy } : {}),
    ...(sums.agreement !== undefined ? { agreement: sums.agreement } : {}),
  };
}
