// Full-integer TFLite with int16 activations (TFLite's 16x8 kernels) and per-row fully-connected weights.
import { describe, expect, it } from 'vitest';
import { layoutFromShape } from '../../../src/engine/data/input-layout';
import { randomSource } from '../../../src/engine/data/random-source';
import { decodeTflite, encodeTflite, readTflite, writeTflite } from '../../../src/engine/formats/tflite';
import { TensorType } from '../../../src/engine/formats/tflite/generated/tflite/tensor-type';
import { staticInt8 } from '../../../src/engine/quantize/static-int8';
import { smallCnnModel } from '../helpers/tflite-builders';
import { tfliteCosine } from '../helpers/tflite-cosine';

const original = writeTflite(smallCnnModel());

async function quantized(tfliteActivations: 'int8' | 'int16'): Promise<{ bytes: Uint8Array; notes: string }> {
  const model = decodeTflite(original);
  const data = randomSource(layoutFromShape('image', [1, 7, 6, 4]), 16, 4);
  const r = await staticInt8.run(model, staticInt8.options.parse({ samples: 16, tfliteActivations }), { data });
  return { bytes: encodeTflite(model), notes: (r.notes ?? []).join(' ') };
}

describe('TFLite full integer, 16x8', () => {
  it('int16 activations, int8 weights, int64 biases: the runtime runs it, closer to float than int8', async () => {
    const wide = await quantized('int16');
    expect(wide.notes).toMatch(/16x8/);
    const tensors = readTflite(wide.bytes).subgraphs[0]!.tensors;
    const named = (name: string) => tensors.find((t) => t.name === name);
    expect(named('image')?.type).toBe(TensorType.INT16);
    expect(named('image')?.quantization?.zeroPoint).toEqual([0n]);
    expect(named('conv_w')?.type).toBe(TensorType.INT8);
    expect(named('conv_b')?.type).toBe(TensorType.INT64);
    expect(named('probs')?.type).toBe(TensorType.INT16);
    expect(named('probs')?.quantization?.scale).toEqual([1 / 32768]);
    const narrow = await quantized('int8');
    const [cosine16, cosine8] = [await tfliteCosine(original, wide.bytes), await tfliteCosine(original, narrow.bytes)];
    expect(cosine16).toBeGreaterThan(0.999);
    expect(1 - cosine16!).toBeLessThan((1 - cosine8!) / 4);
  }, 180_000);

  it('fully-connected weights get one scale per output row, in int8 and 16x8 alike', async () => {
    for (const type of ['int8', 'int16'] as const) {
      const tensors = readTflite((await quantized(type)).bytes).subgraphs[0]!.tensors;
      const fc = tensors.find((t) => t.name === 'fc_w');
      expect(fc?.type).toBe(TensorType.INT8);
      expect(fc?.quantization?.scale).toHaveLength(5);
      expect(fc?.quantization?.quantizedDimension).toBe(0);
    }
  }, 180_000);
});
