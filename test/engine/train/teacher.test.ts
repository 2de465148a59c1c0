import { describe, expect, it } from 'vitest';
import { encodeOnnx } from '../../../src/engine/formats/onnx';
import { openTeacher } from '../../../src/engine/train/teacher';
import { tinyClassifier, tinySamples } from './tiny-task';

describe('openTeacher', () => {
  it('runs an ONNX model with a fixed batch size of 1 sample by sample, with the scores of a batched run', async () => {
    const batched = tinyClassifier();
    const single = tinyClassifier();
    const input = single.graph.inputs[0]!;
    input.type = { kind: 'tensor', dtype: 'float32', shape: [1, 1, 6, 6] };
    single.graph.outputs[0]!.type = { kind: 'tensor', dtype: 'float32', shape: [1, 2] };
    const samples = tinySamples(5);
    const scores = async (model: typeof single): Promise<Float32Array> => {
      const teacher = await openTeacher(encodeOnnx(model), 'onnx', { threads: 1 }, model);
      try {
        return await teacher.scores(samples.data, samples.count, samples.sampleDims);
      } finally {
        await teacher.release();
      }
    };
    const expected = await scores(batched);
    expect(expected).toHaveLength(10);
    expect(Array.from(await scores(single))).toEqual(Array.from(expected));
  });
});
