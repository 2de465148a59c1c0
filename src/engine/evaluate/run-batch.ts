import type { DataBatch } from '../data/batch';
import { realValues, type ModelRunner } from '../verify/model-runner';

/** Outputs of a run over one batch: per output, all rows concatenated, with the per-sample size. */
export interface BatchOutputs {
  values: Float32Array[];
  /** Values per sample of each output. */
  widths: number[];
}

/**
 * Runs a model on one data batch. The batch goes in one call unless the model takes a fixed batch
 * size (most TFLite models take 1; the runtime's own fixed batch wins over `fixedBatch`), in which case it
 * is split. Extra inputs get the runner's sample feeds, which are made for one sample (a recurrent state has a
 * batch axis too), so a model with extra inputs runs one sample at a time.
 */
export async function runBatch(
  runner: ModelRunner,
  batch: DataBatch,
  sampleDims: readonly number[],
  fixedBatch?: number,
): Promise<BatchOutputs> {
  const per = sampleDims.reduce((n, d) => n * d, 1);
  const extra = runner.inputs.length > 1 ? runner.sampleFeeds(1).slice(1) : [];
  const fixed = runner.fixedBatch ?? fixedBatch ?? (extra.length > 0 ? 1 : undefined);
  const step = fixed ?? batch.count;
  const parts: Float32Array[][] = [];
  for (let start = 0; start < batch.count; start += step) {
    const count = Math.min(step, batch.count - start);
    const data = batch.data.subarray(start * per, (start + count) * per);
    const padded = fixed && count < fixed ? padTo(data, fixed * per) : data;
    const outputs = await runner.run([{ dims: [fixed ?? count, ...sampleDims], data: padded }, ...extra]);
    // Real values: quantized outputs (a TFLite model with int8 outputs) are dequantized with their scale and zero point.
    const real = outputs.map((o) => toFloat(realValues(o)));
    parts.push(fixed && count < fixed ? real.map((o) => o.subarray(0, (o.length / fixed) * count)) : real);
  }
  const values = (parts[0] ?? []).map((_, index) => concat(parts.map((p) => p[index]!)));
  return { values, widths: values.map((v) => (batch.count ? v.length / batch.count : 0)) };
}

function padTo(data: Float32Array, length: number): Float32Array {
  const out = new Float32Array(length);
  out.set(data);
  return out;
}

function toFloat(data: ArrayLike<number>): Float32Array {
  return data instanceof Float32Array ? data : Float32Array.from(data);
}

function concat(arrays: Float32Array[]): Float32Array {
  if (arrays.length === 1) return arrays[0]!;
  const out = new Float32Array(arrays.reduce((n, a) => n + a.length, 0));
  let at = 0;
  for (const a of arrays) {
    out.set(a, at);
    at += a.length;
  }
  return out;
}
