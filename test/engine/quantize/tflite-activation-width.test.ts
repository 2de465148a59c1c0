// tfliteActivations 'auto': int8 activations where they hold, int16 (16x8) where int8 loses, by measurement.
import { describe, expect, it } from 'vitest';
import { layoutFromShape } from '../../../src/engine/data/input-layout';
import { randomSource } from '../../../src/engine/data/random-source';
import { decodeTflite, encodeTflite, readTflite, writeTflite } from '../../../src/engine/formats/tflite';
import { BuiltinOperator } from '../../../src/engine/formats/tflite/generated/tflite/builtin-operator';
import { BuiltinOptions } from '../../../src/engine/formats/tflite/generated/tflite/builtin-options';
import { FullyConnectedOptionsT } from '../../../src/engine/formats/tflite/generated/tflite/fully-connected-options';
import { TensorType } from '../../../src/engine/formats/tflite/generated/tflite/tensor-type';
import type { TfliteModel } from '../../../src/engine/formats/tflite/tflite-model';
import { staticInt8 } from '../../../src/engine/quantize/static-int8';
import {
  builtinCode,
  bufferOf,
  fullyConnectedModel,
  operator,
  pseudoRandom,
  SENTINEL,
  singleGraphModel,
  tensor,
} from '../helpers/tflite-builders';
import { tfliteCosine } from '../helpers/tflite-cosine';

/**
 * x[1,8] → FULLY_CONNECTED (4, bias +100) → h → FULLY_CONNECTED (identity, bias −100) → y = W·x: h holds
 * W·x (about ±2) on top of 100. An int8 h (range [0, 102], a step of 0.4) loses W·x; an int16 one
 * (a step of 0.003) keeps it. The weights themselves round well in int8.
 */
function offsetModel(): TfliteModel {
  const w1 = pseudoRandom(4 * 8, 5);
  const w2 = Float32Array.from({ length: 16 }, (_, i) => (i % 5 === 0 ? 1 : 0));
  const fc = { type: BuiltinOptions.FullyConnectedOptions, table: new FullyConnectedOptionsT(), absentVectors: [] };
  return singleGraphModel({
    tensors: [
      tensor('x', [1, 8]),
      tensor('w1', [4, 8], TensorType.FLOAT32, { buffer: 1 }),
      tensor('b1', [4], TensorType.FLOAT32, { buffer: 2 }),
      tensor('h', [1, 4]),
      tensor('w2', [4, 4], TensorType.FLOAT32, { buffer: 3 }),
      tensor('b2', [4], TensorType.FLOAT32, { buffer: 4 }),
      tensor('y', [1, 4]),
    ],
    operators: [operator(0, [0, 1, 2], [3], { builtinOptions: fc }), operator(0, [3, 4, 5], [6], { builtinOptions: fc })],
    inputs: [0],
    outputs: [6],
    codes: [builtinCode(BuiltinOperator.FULLY_CONNECTED)],
    buffers: [SENTINEL, bufferOf(w1), bufferOf(new Float32Array(4).fill(100)), bufferOf(w2), bufferOf(new Float32Array(4).fill(-100))],
  });
}

async function quantizeAuto(model: TfliteModel, width: number): Promise<{ bytes: Uint8Array; original: Uint8Array; notes: string }> {
  const original = writeTflite(model);
  const ir = decodeTflite(original);
  const data = randomSource(layoutFromShape('x', [1, width]), 16, 4);
  const r = await staticInt8.run(ir, staticInt8.options.parse({ samples: 16, tfliteActivations: 'auto' }), { data });
  return { bytes: encodeTflite(ir), original, notes: (r.notes ?? []).join(' ') };
}

describe('TFLite activation width by measurement', () => {
  it('goes int16 (16x8) where int8 activations lose the result, says both figures, and the runtime runs it', async () => {
    const { bytes, original, notes } = await quantizeAuto(offsetModel(), 8);
    expect(notes).toMatch(/int8 activations gave a worst output cosine of 0\.\d+ .*int16 activations 0\.\d+: activations are int16/);
    const hidden = readTflite(bytes).subgraphs[0]!.tensors.find((t) => t.name === 'h');
    expect(hidden?.type).toBe(TensorType.INT16);
    expect(await tfliteCosine(original, bytes)).toBeGreaterThan(0.99);
  }, 180_000);

  it('keeps int8 where int8 holds', async () => {
    const weights = Array.from({ length: 4 }, (_, o) => Array.from(pseudoRandom(6, o + 1)));
    const { bytes, notes } = await quantizeAuto(fullyConnectedModel(weights, [0.1, -0.2, 0.3, 0]), 6);
    expect(notes).not.toMatch(/int16/);
    expect(readTflite(bytes).subgraphs[0]!.tensors.find((t) => t.name === 'y')?.type).toBe(TensorType.INT8);
  }, 180_000);
});
