import { describe, expect, it } from 'vitest';
import { pruneMagnitude } from '../../../src/engine/compress/passes/prune-magnitude';
import { tfliteSparseWeights } from '../../../src/engine/compress/passes/tflite-sparse-weights';
import { decodeTflite, encodeTflite, readTflite, tfliteToOnnx, writeTflite } from '../../../src/engine/formats/tflite';
import { encodeOnnx } from '../../../src/engine/formats/onnx';
import { createTfliteSession } from '../../../src/engine/runtime/tflite';
import { runPass } from '../passes/graph-builder';
import { pseudoRandom } from '../helpers/tflite-builders';
import { twoLayerTflite } from './tflite-fixtures';
import ort from 'onnxruntime-node';

async function runTflite(bytes: Uint8Array, input: Float32Array): Promise<Float32Array> {
  const session = await createTfliteSession(bytes);
  try {
    return (await session.run([input])).outputs[0] as Float32Array;
  } finally {
    await session.dispose();
  }
}

describe('TFLite sparse weights', () => {
  it(
    'stores pruned float16 and float32 weights sparse: smaller file, same outputs in the TFLite runtime and after conversion',
    { timeout: 120_000 },
    async () => {
      const model = decodeTflite(writeTflite(twoLayerTflite()));
      await runPass(pruneMagnitude, model, { sparsity: 0.8 });
      const dense = encodeTflite(model);
      const result = await runPass(tfliteSparseWeights, model);
      expect(result.stats['tensorsSparse']).toBe(2);
      const sparse = encodeTflite(model);
      expect(sparse.length).toBeLessThan(dense.length * 0.6);

      const file = readTflite(sparse);
      const g = file.subgraphs[0]!;
      const densify = g.operators.filter((op) => file.operatorCodes[op.opcodeIndex]!.code === 124);
      expect(densify).toHaveLength(2);
      for (const op of densify) expect(g.tensors[op.inputs[0]!]!.sparsity?.dimMetadata?.[1]?.format).toBe(1);

      const input = pseudoRandom(128, 5);
      const expected = await runTflite(dense, input);
      expect(Array.from(await runTflite(sparse, input))).toEqual(Array.from(expected));

      const onnx = tfliteToOnnx(decodeTflite(sparse)).model;
      const session = await ort.InferenceSession.create(encodeOnnx(onnx));
      const out = await session.run({ [session.inputNames[0]!]: new ort.Tensor('float32', input, [1, 128]) });
      const values = out[session.outputNames[0]!]!.data as Float32Array;
      values.forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 4));
      await session.release();
    },
  );

  it('leaves ONNX models and weights without enough zeros as they are, and says why', async () => {
    const model = decodeTflite(writeTflite(twoLayerTflite()));
    const none = await runPass(tfliteSparseWeights, model);
    expect(none).toMatchObject({ changed: false, notes: ['No weight tensor has enough zeros for sparse storage to be smaller.'] });
  });
});
