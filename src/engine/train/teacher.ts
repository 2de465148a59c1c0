import ort from 'onnxruntime-node';
import { decodeOnnx } from '../formats/onnx';
import type { ModelFormat } from '../formats/model-io';
import type { Model } from '../ir/model';
import { runBatch } from '../evaluate/run-batch';
import { openRunner } from '../verify/verifier';
import { openSession, type SessionSettings } from './train-session';
import { LitheError, throwIfCancelled } from '../errors';
import type { Samples } from './samples';

/** A model whose outputs are training targets (distillation): class scores per batch. */
export interface Teacher {
  /** Scores of the first output for `count` samples; log-probabilities when the model ends in a softmax. */
  scores(data: Float32Array, count: number, sampleDims: readonly number[]): Promise<Float32Array>;
  release(): Promise<void>;
}

/** The teacher's answers are kept for a whole data set up to this many bytes. */
export const TEACHER_CACHE_BUDGET = 256 * 1024 ** 2;

/** The teacher's scores for every sample, `width` values each (computed once). */
export interface CachedScores {
  scores: Float32Array;
  width: number;
}

/**
 * The teacher's scores for all `samples` in one pass, or undefined when they would take more than
 * `budget` bytes. Without augmentation a sample's target never changes, so one pass replaces one per epoch.
 */
export async function scoreAll(
  teacher: Teacher,
  samples: Samples,
  batchSize: number,
  signal?: AbortSignal,
  budget = TEACHER_CACHE_BUDGET,
): Promise<CachedScores | undefined> {
  let out: Float32Array | undefined;
  let width = 0;
  for (let start = 0; start < samples.count; start += batchSize) {
    throwIfCancelled(signal);
    const count = Math.min(batchSize, samples.count - start);
    const scores = await teacher.scores(
      samples.data.subarray(start * samples.size, (start + count) * samples.size),
      count,
      samples.sampleDims,
    );
    if (!out) {
      width = scores.length / count;
      if (samples.count * width * 4 > budget) return undefined;
      out = new Float32Array(samples.count * width);
    }
    out.set(scores, start * width);
  }
  return out ? { scores: out, width } : undefined;
}

/** The cached rows of `indices`, one after the other, into `into`. */
export function gatherScores(cache: CachedScores, indices: ArrayLike<number>, into: Float32Array): Float32Array {
  for (let i = 0; i < indices.length; i++)
    into.set(cache.scores.subarray(indices[i]! * cache.width, (indices[i]! + 1) * cache.width), i * cache.width);
  return into.subarray(0, indices.length * cache.width);
}

/** True when the model's first output comes straight from a softmax (probabilities, not logits). */
export function endsInSoftmax(model: Model): boolean {
  const output = model.graph.outputs[0];
  const producer = model.graph.nodes.find((n) => n.outputs.includes(output));
  return producer?.opType === 'Softmax' || producer?.opType === 'SOFTMAX';
}

/** Opens a teacher from model bytes: onnxruntime for ONNX (with the training threads), the TFLite runtime otherwise. */
export async function openTeacher(
  bytes: Uint8Array,
  format: ModelFormat,
  settings: SessionSettings,
  model: Model,
  file?: string,
): Promise<Teacher> {
  const fixed = model.graph.inputs[0]?.type;
  const fixedBatch = fixed?.kind === 'tensor' && typeof fixed.shape?.[0] === 'number' && fixed.shape[0] > 0 ? fixed.shape[0] : undefined;
  const logOf = endsInSoftmax(model)
    ? (p: Float32Array): Float32Array => p.map((x) => Math.log(Math.max(x, 1e-12)))
    : (p: Float32Array) => p;
  if (format === 'onnx') {
    const session = await openSession(decodeOnnx(bytes, { file }), settings, 'teacher model');
    const input = session.inputNames[0];
    const output = session.outputNames[0];
    if (!input || !output) throw new LitheError('invalid-argument', 'The teacher model has no inputs or outputs.', { file });
    return {
      // A model with a fixed batch size (often 1) runs in batches of that size, the last one padded with zeros.
      async scores(data, count, sampleDims) {
        const size = sampleDims.reduce((a, b) => a * b, 1);
        const batch = fixedBatch ?? count;
        const parts: Float32Array[] = [];
        for (let start = 0; start < count; start += batch) {
          const n = Math.min(batch, count - start);
          const feed = new Float32Array(batch * size);
          feed.set(data.subarray(start * size, (start + n) * size));
          const out = (await session.run({ [input]: new ort.Tensor('float32', feed, [batch, ...sampleDims]) }))[output]!
            .data as Float32Array;
          parts.push(out.subarray(0, (out.length / batch) * n));
        }
        const scores = new Float32Array(parts.reduce((total, part) => total + part.length, 0));
        parts.reduce((offset, part) => (scores.set(part, offset), offset + part.length), 0);
        return logOf(scores);
      },
      release: () => session.release(),
    };
  }
  const runner = await openRunner(bytes, format, 'the teacher model', { file });
  return {
    async scores(data, count, sampleDims) {
      const out = await runBatch(runner, { data, count }, sampleDims, fixedBatch);
      return logOf(out.values[0]!);
    },
    release: () => runner.dispose(),
  };
}
