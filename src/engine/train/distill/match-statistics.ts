/**
 * Repairs a narrowed student before training. A layer that lost most of its inputs starts with
 * shrunken, shifted outputs, and every layer after it compounds that (the student cut from the
 * teacher's filters can start near chance). So each layer's output channels are given the mean and
 * spread of the teacher channels they came from, measured on a few training samples, one layer at a
 * time on the student whose earlier layers are already repaired:
 *
 *   for each layer, each student channel c (teacher channel k), over samples and positions:
 *     a = σ_teacher[k] / σ_student[c],   d = μ_teacher[k] − a·μ_student[c]
 *     W[c] ← a·W[c],   b[c] ← a·b[c] + d          (a layer without a bias: scale only)
 * A channel that is constant in either model keeps its weights (a = 1, no shift).
 */
import { encodeOnnx } from '../../formats/onnx';
import type { Model } from '../../ir/model';
import type { Tensor } from '../../ir/tensor';
import { exposeValues } from '../../evaluate/expose-values';
import { runBatch } from '../../evaluate/run-batch';
import { createOrtRunner } from '../../verify/ort-runner';
import type { Samples } from '../samples';
import type { DerivedStudent, NarrowedLayer } from './width-student';

/** Samples the statistics are measured on (spread evenly over the data). */
export const MATCH_SAMPLES = 512;

/** Rescales the layers of `student.model` in place; returns how many samples were used. */
export async function matchStatistics(
  student: DerivedStudent,
  teacher: Model,
  samples: Samples,
  options: { samples?: number; fixedBatch?: number } = {},
): Promise<number> {
  const layers = student.narrowed;
  const batch = spreadSubset(samples, options.samples ?? MATCH_SAMPLES);
  if (!layers.length) return 0;
  const teacherStats = await channelStats(teacher, layers, batch, samples.sampleDims, options.fixedBatch);
  const model = student.model;
  for (const [i, layer] of layers.entries()) {
    const [own] = await channelStats(model, [layer], batch, samples.sampleDims, options.fixedBatch);
    const target = teacherStats[i]!;
    const weight = model.graph.initializers.find((t) => t.name === layer.weight);
    const bias = layer.bias ? model.graph.initializers.find((t) => t.name === layer.bias) : undefined;
    if (!own || !weight) continue;
    const scale = new Float32Array(own.mean.length).fill(1);
    const shift = new Float32Array(own.mean.length);
    layer.teacherChannels.forEach((k, c) => {
      const sigma = own.std[c]!;
      const goal = target.std[k]!;
      if (!(sigma > 1e-12 && goal > 1e-12)) return;
      scale[c] = goal / sigma;
      shift[c] = bias ? target.mean[k]! - scale[c] * own.mean[c]! : 0;
    });
    scaleChannels(weight, layer.outAxis, scale);
    if (bias) {
      const b = Float32Array.from(bias.toTypedArray() as Float32Array, (v, c) => v * scale[c]! + shift[c]!);
      bias.setBytes(new Uint8Array(b.buffer));
    }
  }
  return batch.count;
}

// `n` samples at even steps through the data (data read class by class would otherwise give one class).
function spreadSubset(samples: Samples, n: number): { data: Float32Array; count: number } {
  const count = Math.min(n, samples.count);
  const data = new Float32Array(count * samples.size);
  for (let i = 0; i < count; i++) {
    const index = Math.floor((i * samples.count) / count);
    data.set(samples.data.subarray(index * samples.size, (index + 1) * samples.size), i * samples.size);
  }
  return { data, count };
}

// Mean and standard deviation of every channel (axis 1) of each layer's output.
async function channelStats(
  model: Model,
  layers: readonly NarrowedLayer[],
  batch: { data: Float32Array; count: number },
  sampleDims: readonly number[],
  fixedBatch: number | undefined,
): Promise<{ mean: Float64Array; std: Float64Array }[]> {
  const names = layers.map((l) => l.output);
  const runner = await createOrtRunner(exposeValues(encodeOnnx(model), names), { role: 'the student being prepared' });
  try {
    const out = await runBatch(runner, batch, sampleDims, fixedBatch);
    return layers.map((layer) => {
      const values = out.values[runner.outputs.findIndex((o) => o.name === layer.output)]!;
      const weight = model.graph.initializers.find((t) => t.name === layer.weight)!;
      return statistics(values, batch.count, weight.dims[layer.outAxis]!);
    });
  } finally {
    await runner.dispose();
  }
}

function statistics(values: Float32Array, count: number, channels: number): { mean: Float64Array; std: Float64Array } {
  const inner = values.length / count / channels;
  const sum = new Float64Array(channels);
  const squares = new Float64Array(channels);
  for (let i = 0; i < values.length; i++) {
    const c = Math.floor(i / inner) % channels;
    sum[c]! += values[i]!;
    squares[c]! += values[i]! * values[i]!;
  }
  const n = count * inner;
  const mean = sum.map((s) => s / n);
  const std = squares.map((q, c) => Math.sqrt(Math.max(0, q / n - mean[c]! ** 2)));
  return { mean, std };
}

// Multiplies every output channel c of a weight (along `axis`) by scale[c].
function scaleChannels(t: Tensor, axis: number, scale: Float32Array): void {
  const data = Float32Array.from(t.toTypedArray() as Float32Array);
  const size = t.dims[axis]!;
  const inner = t.dims.slice(axis + 1).reduce((a, b) => a * b, 1);
  for (let i = 0; i < data.length; i++) data[i]! *= scale[Math.floor(i / inner) % size]!;
  t.setBytes(new Uint8Array(data.buffer));
}
