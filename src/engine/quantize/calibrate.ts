import type { EngineContext } from '../context';
import type { DataBatch, DataSource } from '../data/batch';
import { throwIfCancelled } from '../errors';
import { runBatch, type BatchOutputs } from '../evaluate/run-batch';
import type { Model } from '../ir/model';
import type { ModelRunner } from '../verify/model-runner';
import { createModelRunner, exposedCopy } from './model-copy';
import { AbsHistogram } from './histogram';
import { MAX_BATCH, RUN_BYTES } from './run-budget';

/** How activation ranges are chosen from calibration data. */
export type CalibrationMethod = 'minmax' | 'percentile' | 'entropy';

/** The range chosen for one tensor. */
export interface TensorRange {
  min: number;
  max: number;
}

/** Options for {@link calibrateRanges}. */
export interface CalibrationOptions {
  method: CalibrationMethod;
  /** For `percentile`: the share of |values| kept unclipped (e.g. 99.99). */
  percentile: number;
  /** Calibration samples to use. */
  samples: number;
  fixedBatch?: number;
  /** Bytes the exposed values of one run may take, about (default {@link RUN_BYTES}); runs are sized to it. */
  runBytes?: number;
}

/**
 * Runs a copy of `model` (ONNX in onnxruntime, TFLite in the TFLite runtime) with the values
 * `names` exposed as outputs on the calibration data and returns a range per value that came back
 * as float data. Statistics are streamed: min/max in a first pass; percentile and entropy build
 * |x| histograms in a second pass over the same samples. Each run's exposed values (every
 * activation of the samples in it) are dropped once counted, and runs are sized so that they stay
 * near `runBytes`: one sample per run for a model with large activations.
 */
export async function calibrateRanges(
  model: Model,
  names: readonly string[],
  source: DataSource,
  options: CalibrationOptions,
  ctx: EngineContext = {},
): Promise<Map<string, TensorRange>> {
  const copy = exposedCopy(model, names);
  const runner = await createModelRunner(model.format, copy.bytes, 'the model being calibrated');
  // Only values that really are float32 (the runtime says so for those whose type was unknown).
  const outputs = [...copy.outputs].filter(([, i]) => runner.outputs[i]?.dtype === 'float32');
  const ranges = new Map<string, TensorRange>(outputs.map(([n]) => [n, { min: Infinity, max: -Infinity }]));
  const total = Math.min(options.samples, source.count ?? Infinity);
  const each = async (visit: (name: string, values: Float32Array) => void, stage: string): Promise<void> => {
    await forEachRun(runner, source, options, ctx, (out, done) => {
      for (const [name, i] of outputs) {
        const values = out.values[i];
        if (values) visit(name, values);
      }
      ctx.onProgress?.({ stage, fraction: Math.min(1, done / total), message: `${stage}: ${done} samples` });
    });
  };
  try {
    await each((name, values) => {
      const r = ranges.get(name);
      if (!r) return;
      for (const v of values) {
        if (v < r.min) r.min = v;
        if (v > r.max) r.max = v;
      }
    }, 'calibrate');
    if (options.method !== 'minmax') {
      const histograms = new Map([...ranges].map(([n, r]) => [n, new AbsHistogram(Math.max(Math.abs(r.min), Math.abs(r.max)))]));
      await each((name, values) => histograms.get(name)?.add(values), 'calibrate (histograms)');
      for (const [name, r] of ranges) {
        const h = histograms.get(name);
        if (!h || !Number.isFinite(r.min)) continue;
        const t = options.method === 'percentile' ? h.percentile(options.percentile) : h.entropyThreshold(r.min >= 0 ? 256 : 128);
        ranges.set(name, { min: Math.max(r.min, -t), max: Math.min(r.max, t) });
      }
    }
  } finally {
    await runner.dispose();
  }
  for (const [name, r] of ranges) if (!Number.isFinite(r.min)) ranges.set(name, { min: 0, max: 0 });
  return ranges;
}

/**
 * Runs the model over the calibration samples in runs whose input and exposed values stay near the
 * run budget: the input batch is read at a size its bytes allow, the first run takes one sample (or
 * the model's fixed batch), and the size of its outputs sets how many samples the next runs take.
 * `visit` gets each run's outputs and the samples done so far; they are not kept.
 */
export async function forEachRun(
  runner: ModelRunner,
  source: DataSource,
  options: CalibrationOptions,
  ctx: EngineContext,
  visit: (out: BatchOutputs, done: number) => void,
): Promise<void> {
  const budget = options.runBytes ?? RUN_BYTES;
  const sampleValues = source.sampleDims.reduce((n, d) => n * d, 1);
  const readSize = clamp(Math.floor(budget / (4 * sampleValues)), 1, Math.min(MAX_BATCH, options.samples));
  const unit = runner.fixedBatch ?? options.fixedBatch ?? 1;
  let runSize = unit;
  let done = 0;
  for await (const batch of source.batches(readSize, options.samples)) {
    for (let start = 0; start < batch.count;) {
      throwIfCancelled(ctx.signal);
      const count = Math.min(runSize, batch.count - start);
      const part: DataBatch =
        count === batch.count ? batch : { data: batch.data.subarray(start * sampleValues, (start + count) * sampleValues), count };
      const out = await runBatch(runner, part, source.sampleDims, options.fixedBatch);
      start += count;
      done += count;
      visit(out, done);
      const bytesPerSample = 4 * (sampleValues + out.widths.reduce((n, w) => n + w, 0));
      runSize = Math.max(unit, Math.floor(clamp(Math.floor(budget / bytesPerSample), 1, readSize) / unit) * unit);
    }
  }
}

function clamp(value: number, low: number, high: number): number {
  return Math.min(high, Math.max(low, value));
}
