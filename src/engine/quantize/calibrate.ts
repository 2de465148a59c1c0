import type { EngineContext } from '../context';
import type { DataSource } from '../data/batch';
import { throwIfCancelled } from '../errors';
import { exposeValues } from '../evaluate/expose-values';
import { runBatch } from '../evaluate/run-batch';
import { createOrtRunner } from '../verify/ort-runner';
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
 * Runs the ONNX model on the calibration data with `names` exposed as outputs and returns a range
 * per tensor. Statistics are streamed: min/max in a first pass; percentile and entropy build
 * |x| histograms in a second pass over the same samples.
 */
export async function calibrateRanges(
  onnx: Uint8Array,
  names: readonly string[],
  source: DataSource,
  options: CalibrationOptions,
  ctx: EngineContext = {},
): Promise<Map<string, TensorRange>> {
  const runner = await createOrtRunner(exposeValues(onnx, names), { role: 'the model being calibrated' });
  const index = new Map(runner.outputs.map((o, i) => [o.name, i]));
  const ranges = new Map<string, TensorRange>(names.map((n) => [n, { min: Infinity, max: -Infinity }]));
  const each = async (visit: (name: string, values: Float32Array) => void, stage: string): Promise<void> => {
    let done = 0;
    for await (const batch of source.batches(Math.min(64, options.samples), options.samples)) {
      throwIfCancelled(ctx.signal);
      const out = await runBatch(runner, batch, source.sampleDims, options.fixedBatch);
      for (const name of names) {
        const i = index.get(name);
        if (i !== undefined) visit(name, out.values[i]!);
      }
      done += batch.count;
      ctx.onProgress?.({ stage, fraction: done / options.samples, message: `${stage}: ${done} samples` });
    }
  };
  try {
    await each((name, values) => {
      const r = ranges.get(name)!;
      for (let i = 0; i < values.length; i++) {
        const v = values[i]!;
        if (v < r.min) r.min = v;
        if (v > r.max) r.max = v;
      }
    }, 'calibrate');
    if (options.method !== 'minmax') {
      const histograms = new Map(
        names.map((n) => [n, new AbsHistogram(Math.max(Math.abs(ranges.get(n)!.min), Math.abs(ranges.get(n)!.max)))]),
      );
      await each((name, values) => histograms.get(name)!.add(values), 'calibrate (histograms)');
      for (const name of names) {
        const r = ranges.get(name)!;
        const h = histograms.get(name)!;
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
