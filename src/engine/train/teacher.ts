import ort from 'onnxruntime-node';
import { decodeOnnx } from '../formats/onnx';
import type { ModelFormat } from '../formats/model-io';
import type { Model } from '../ir/model';
import { runBatch } from '../evaluate/run-batch';
import { openRunner } from '../verify/verifier';
import { openSession, type SessionSettings } from './train-session';
import { LitheError } from '../errors';

/** A model whose outputs are training targets (distillation): class scores per batch. */
export interface Teacher {
  /** Scores of the first output for `count` samples; log-probabilities when the model ends in a softmax. */
  scores(data: Float32Array, count: number, sampleDims: readonly number[]): Promise<Float32Array>;
  release(): Promise<void>;
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
  const logOf = endsInSoftmax(model)
    ? (p: Float32Array): Float32Array => p.map((x) => Math.log(Math.max(x, 1e-12)))
    : (p: Float32Array) => p;
  if (format === 'onnx') {
    const session = await openSession(decodeOnnx(bytes, { file }), settings, 'teacher model');
    const input = session.inputNames[0];
    const output = session.outputNames[0];
    if (!input || !output) throw new LitheError('invalid-argument', 'The teacher model has no inputs or outputs.', { file });
    return {
      async scores(data, count, sampleDims) {
        const out = await session.run({
          [input]: new ort.Tensor('float32', data.subarray(0, count * sampleDims.reduce((a, b) => a * b, 1)), [count, ...sampleDims]),
        });
        return logOf(out[output]!.data as Float32Array);
      },
      release: () => session.release(),
    };
  }
  const runner = await openRunner(bytes, format, 'the teacher model', { file });
  const fixed = model.graph.inputs[0]?.type;
  const fixedBatch = fixed?.kind === 'tensor' && typeof fixed.shape?.[0] === 'number' ? fixed.shape[0] : undefined;
  return {
    async scores(data, count, sampleDims) {
      const out = await runBatch(runner, { data, count }, sampleDims, fixedBatch);
      return logOf(out.values[0]!);
    },
    release: () => runner.dispose(),
  };
}
