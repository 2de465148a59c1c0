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
  // The requested tensors the runner exposes, each with its output position and the range seen so far.
  const tracked = names.flatMap((name) => {
    const output = index.get(name);
    return output === undefined ? [] : [{ name, output, range: { min: Infinity, max: -Infinity } }];
  });
  const each = async <T extends { output: number }>(
    items: readonly T[],
    visit: (item: T, values: Float32Array) => void,
    stage: string,
  ): Promise<void> => {
    let done = 0;
    for await (const batch of source.batches(Math.min(64, options.samples), options.samples)) {
      throwIfCancelled(ctx.signal);
      const out = await runBatch(runner, batch, source.sampleDims, options.fixedBatch);
      for (const item of items) visit(item, out.values[item.output]!); // runBatch returns one array per runner output
      done += batch.count;
      ctx.onProgress?.({ stage, fraction: done / options.samples, message: `${stage}: ${done} samples` });
    }
  };
  try {
    await each(
      tracked,
      ({ range }, values) => {
        for (const v of values) {
          if (v < range.min) range.min = v;
          if (v > range.max) range.max = v;
        }
      },
      'calibrate',
    );
    if (options.method !== 'minmax') {
      const binned = tracked.map((tensor) => ({
        tensor,
        output: tensor.output,
        histogram: new AbsHistogram(Math.max(Math.abs(tensor.range.min), Math.abs(tensor.range.max))),
      }));
      await each(binned, ({ histogram }, values) => histogram.add(values), 'calibrate (histograms)');
      for (const { tensor, histogram } of binned) {
        const { min, max } = tensor.range;
        const t =
          options.method === 'percentile' ? histogram.percentile(options.percentile) : histogram.entropyThreshold(min >= 0 ? 256 : 128);
        tensor.range = { min: Math.max(min, -t), max: Math.min(max, t) };
      }
    }
  } finally {
    await runner.dispose();
  }
  const seen = new Map(tracked.map((tensor) => [tensor.name, tensor.range]));
  return new Map(
    names.map((name): [string, TensorRange] => {
      const range = seen.get(name);
      return [name, range && Number.isFinite(range.min) ? range : { min: 0, max: 0 }];
    }),
  );
}
