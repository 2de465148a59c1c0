import type { AccuracySummary } from '../../contract/evaluate';
import type { EngineContext } from '../context';
import type { DataSource } from '../data/batch';
import { throwIfCancelled } from '../errors';
import type { ModelRunner } from '../verify/model-runner';
import { AccuracyCounter, FidelityCounter, type Fidelity } from './metrics';
import { runBatch } from './run-batch';

/** A loaded model ready to run on data, with the batch size its input accepts. */
export interface DataRunner {
  runner: ModelRunner;
  /** Fixed batch size of the model input, when it is not free. */
  fixedBatch?: number;
}

/** Accuracy of the candidate (and reference) and the candidate's fidelity to the reference. */
export interface DataComparison {
  samples: number;
  accuracy?: AccuracySummary;
  referenceAccuracy?: AccuracySummary;
  fidelity?: Fidelity;
  /** Fidelity of every output holding vectors (two values or more per sample), by output index; `fidelity` is output 0's. */
  outputs?: (Fidelity | undefined)[];
}

/** Options for {@link compareOnData}. */
export interface CompareOptions {
  limit?: number;
  batchSize?: number;
}

/**
 * Streams the data through the candidate (and the reference when given) and accumulates top-1/top-5
 * accuracy on the first output (when the data has labels) and fidelity of the candidate to the reference.
 */
export async function compareOnData(
  candidate: DataRunner,
  reference: DataRunner | undefined,
  source: DataSource,
  options: CompareOptions = {},
  ctx: EngineContext = {},
): Promise<DataComparison> {
  const accuracy = new AccuracyCounter();
  const referenceAccuracy = new AccuracyCounter();
  const fidelity = new FidelityCounter();
  const perOutput: FidelityCounter[] = [];
  let samples = 0;
  const total = Math.min(source.count ?? Infinity, options.limit ?? Infinity);
  for await (const batch of source.batches(options.batchSize ?? 100, options.limit)) {
    throwIfCancelled(ctx.signal);
    const out = await runBatch(candidate.runner, batch, source.sampleDims, candidate.fixedBatch);
    const width = out.widths[0] ?? 0;
    if (batch.labels && width) accuracy.add(out.values[0]!, width, batch.labels);
    if (reference) {
      const ref = await runBatch(reference.runner, batch, source.sampleDims, reference.fixedBatch);
      if (batch.labels && ref.widths[0]) referenceAccuracy.add(ref.values[0]!, ref.widths[0], batch.labels);
      if (ref.values[0] && width) fidelity.add(ref.values[0], out.values[0]!, width);
      for (const [k, values] of ref.values.entries()) {
        const w = out.widths[k] ?? 0;
        const got = out.values[k];
        if (w < 2 || !got) continue;
        (perOutput[k] ??= new FidelityCounter()).add(values, got, w);
      }
    }
    samples += batch.count;
    ctx.onProgress?.({ stage: 'evaluate', fraction: Number.isFinite(total) ? samples / total : undefined, message: `${samples} samples` });
  }
  const result: DataComparison = { samples };
  const a = accuracy.result();
  const r = referenceAccuracy.result();
  const f = fidelity.result();
  if (a) result.accuracy = a;
  if (r) result.referenceAccuracy = r;
  if (f) result.fidelity = f;
  if (perOutput.length > 0) result.outputs = Array.from(perOutput, (counter) => counter?.result());
  return result;
}
