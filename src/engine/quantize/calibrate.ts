import type { EngineContext } from '../context';
import type { DataSource } from '../data/batch';
import { throwIfCancelled } from '../errors';
import { runBatch } from '../evaluate/run-batch';
import type { Model } from '../ir/model';
import { createModelRunner, exposedCopy } from './model-copy';
import { AbsHistogram } from './histogram';

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
}

/**
 * Runs a copy of `model` (ONNX in onnxruntime, TFLite in the TFLite runtime) with the values
 * `names` exposed as outputs on the calibration data and returns a range per value that came back
 * as float data. Statistics are streamed: min/max in a first pass; percentile and entropy build
 * |x| histograms in a second pass over the same samples.
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
  const each = async (visit: (name: string, values: Float32Array) => void, stage: string): Promise<void> => {
    let done = 0;
    for await (const batch of source.batches(Math.min(64, options.samples), options.samples)) {
      throwIfCancelled(ctx.signal);
      const out = await runBatch(runner, batch, source.sampleDims, options.fixedBatch);
      for (const [name, i] of outputs) {
        const values = out.values[i];
        if (values) visit(name, values);
      }
      done += batch.count;
      ctx.onProgress?.({ stage, fraction: done / options.samples, message: `${stage}: ${done} samples` });
    }
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
