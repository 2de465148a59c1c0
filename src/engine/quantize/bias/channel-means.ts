import type { EngineContext } from '../../context';
import type { DataSource } from '../../data/batch';
import type { Model } from '../../ir/model';
import { forEachRun, type CalibrationOptions } from '../calibrate';
import { createModelRunner, exposedCopy } from '../model-copy';

/** A value whose mean per channel is wanted, and where its channels run. */
export interface ChannelRequest {
  name: string;
  channels: number;
  /** True when channels are the last axis (TFLite, dense layers); else the axis after the batch (ONNX NCHW). */
  channelsLast: boolean;
}

/**
 * The mean of each channel of the values `requests` name over the calibration samples (every
 * sample, every position), from one streamed run of a copy of `model` with those values exposed.
 * A value that does not come back as float32, or whose size does not fit its channel count, is left out.
 */
export async function channelMeans(
  model: Model,
  requests: readonly ChannelRequest[],
  source: DataSource,
  options: CalibrationOptions,
  ctx: EngineContext = {},
): Promise<Map<string, Float64Array>> {
  const copy = exposedCopy(
    model,
    requests.map((r) => r.name),
  );
  const runner = await createModelRunner(model.format, copy.bytes, 'the model being calibrated');
  const wanted = requests.filter((r) => {
    const i = copy.outputs.get(r.name);
    return i !== undefined && runner.outputs[i]?.dtype === 'float32';
  });
  const sums = new Map(wanted.map((r) => [r.name, { sum: new Float64Array(r.channels), count: 0 }]));
  const total = Math.min(options.samples, source.count ?? Infinity);
  let seen = 0;
  try {
    await forEachRun(runner, source, options, ctx, (out, done) => {
      const samples = done - seen;
      seen = done;
      for (const r of wanted) {
        const values = out.values[copy.outputs.get(r.name) ?? -1];
        const s = sums.get(r.name);
        if (!values || !s || samples < 1) continue;
        if (addChannelSums(values, r, values.length / samples, s.sum)) s.count += samples;
      }
      ctx.onProgress?.({ stage: 'bias correction', fraction: Math.min(1, done / total), message: `bias correction: ${done} samples` });
    });
  } finally {
    await runner.dispose();
  }
  const means = new Map<string, Float64Array>();
  for (const r of wanted) {
    const s = sums.get(r.name);
    const perChannel = s && s.count > 0 ? s.sum.map((v) => v / s.count) : undefined;
    if (perChannel) means.set(r.name, perChannel);
  }
  return means;
}

// Adds each channel's mean over the positions of one sample, summed over the samples of the run.
function addChannelSums(values: Float32Array, r: ChannelRequest, width: number, sum: Float64Array): boolean {
  const positions = width / r.channels;
  if (!Number.isInteger(positions) || positions < 1) return false;
  for (let e = 0; e < values.length; e++) {
    const c = r.channelsLast ? e % r.channels : Math.floor((e % width) / positions);
    sum[c] = (sum[c] ?? 0) + (values[e] ?? 0) / positions;
  }
  return true;
}
