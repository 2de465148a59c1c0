import { afterEach, describe, expect, it } from 'vitest';
import { LitheError } from '../../../../src/engine/errors';
import { writeTflite } from '../../../../src/engine/formats/tflite';
import { BuiltinOperator } from '../../../../src/engine/formats/tflite/generated/tflite/builtin-operator';
import { TensorType } from '../../../../src/engine/formats/tflite/generated/tflite/tensor-type';
import { createTfliteSession, type TfliteSession } from '../../../../src/engine/runtime/tflite';
import {
  addModel,
  builtinCode,
  fullyConnectedModel,
  operator,
  pseudoRandom,
  singleGraphModel,
  smallCnnModel,
  tensor,
} from '../../helpers/tflite-builders';
import { at } from '../../../helpers/at';

const sessions: TfliteSession[] = [];
async function open(bytes: Uint8Array, options: Parameters<typeof createTfliteSession>[1] = {}): Promise<TfliteSession> {
  const session = await createTfliteSession(bytes, options);
  sessions.push(session);
  return session;
}
afterEach(async () => {
  await Promise.all(sessions.splice(0).map((s) => s.dispose()));
});

async function failure(promise: Promise<unknown>): Promise<LitheError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(LitheError);
    return error as LitheError;
  }
  throw new Error('expected a failure');
}

/** int8[1,4] (scale 0.5, zero point −1) → DEQUANTIZE → float32[1,4]. */
function dequantizeModel(quantizedDimension = 0, scales = [0.5]) {
  const q = { min: null, max: null, scale: scales, zeroPoint: scales.map(() => -1n), quantizedDimension, custom: null };
  return singleGraphModel({
    tensors: [tensor('q', [1, 4], TensorType.INT8, { quantization: q }), tensor('f', [1, 4])],
    operators: [operator(0, [0], [1])],
    inputs: [0],
    outputs: [1],
    codes: [builtinCode(BuiltinOperator.DEQUANTIZE, 2)],
  });
}

describe('TFLite runtime session (wasm in a worker)', () => {
  it('runs a float model built in the test', async () => {
    const session = await open(writeTflite(addModel([1, 3])));
    expect(session.inputs.map((i) => [i.name, i.dtype, i.shape])).toEqual([
      ['a', 'float32', [1, 3]],
      ['b', 'float32', [1, 3]],
    ]);
    const { outputs } = await session.run([new Float32Array([1, 2, 3]), new Float32Array([10, 20, 30])]);
    expect(Array.from(at(outputs, 0))).toEqual([11, 22, 33]);
    const byName = await session.run({ a: new Float32Array([1, 1, 1]), b: new Float32Array([2, 2, 2]) });
    expect(Array.from(at(byName.outputs, 0))).toEqual([3, 3, 3]);
  });

  it('runs constant weights and a fused activation', async () => {
    const session = await open(
      writeTflite(
        fullyConnectedModel(
          [
            [1, 2],
            [-3, -4],
          ],
          [0.5, 0.5],
        ),
      ),
    );
    const { outputs } = await session.run([new Float32Array([1, 1])]);
    expect(Array.from(at(outputs, 0))).toEqual([3.5, 0]);
  });

  it('takes int8 input and reports its quantization', async () => {
    const session = await open(writeTflite(dequantizeModel()));
    expect(session.inputs[0]).toMatchObject({ dtype: 'int8', quantization: { scale: [0.5], zeroPoint: [-1] } });
    const { outputs } = await session.run([new Int8Array([-1, 1, 3, -128])]);
    expect(Array.from(at(outputs, 0))).toEqual([0, 1, 2, -63.5]);
  });

  it('records per-operator times when profiling', async () => {
    const session = await open(writeTflite(dequantizeModel()), { profile: true });
    await session.run([new Int8Array(4)]);
    const profile = await session.profile();
    expect(profile.length).toBeGreaterThan(0);
    expect(profile[0]).toHaveProperty('ms');
  });

  it('checks feeds against the inputs', async () => {
    const session = await open(writeTflite(addModel([1, 3])));
    expect((await failure(session.run([new Float32Array(2), new Float32Array(3)]))).message).toMatch(/needs 3 values/);
    expect((await failure(session.run([new Int8Array(3), new Float32Array(3)]))).message).toMatch(/expected a Float32Array/);
  });

  it('explains quantization full TFLite refuses, in plain words', async () => {
    const bytes = writeTflite(dequantizeModel(3, [0.5, 0.5, 0.5, 0.5]));
    const error = await failure(createTfliteSession(bytes, { file: 'micro.tflite' }));
    expect(error.message).toMatch(
      /^micro\.tflite: TFLite refused the model: tensor 0 \("q", shape \[1, 4\]\) is quantized per channel along dimension 3/,
    );
    expect(error.message).toMatch(/TFLite Micro accepts this/);
  });

  it('names custom operators the runtime does not have', async () => {
    const model = addModel();
    model.operatorCodes = [{ code: 32, builtinCode: 32, deprecatedBuiltinCode: 32, customCode: 'ethos-u', version: 1 }];
    const error = await failure(createTfliteSession(writeTflite(model)));
    expect(error.code).toBe('runtime-failed');
    expect(error.message).toMatch(/custom operator ethos-u \(compiled for an Arm Ethos-U NPU/);
  });

  it('reports corrupt files and missing files as LitheErrors', async () => {
    const bytes = writeTflite(addModel());
    expect((await failure(createTfliteSession(bytes.slice(0, 40), { file: 'cut.tflite' }))).code).toBe('corrupt-model');
    expect((await failure(createTfliteSession('/nonexistent/model.tflite'))).code).toBe('not-found');
  });

  it('stops when cancelled', async () => {
    const controller = new AbortController();
    const session = await createTfliteSession(writeTflite(addModel()), {}, { signal: controller.signal });
    controller.abort();
    expect((await failure(session.run([new Float32Array(4), new Float32Array(4)]))).code).toBe('cancelled');
    await session.dispose();
  });

  describe('reload', () => {
    it('gives the same outputs, bit for bit, as a fresh session on the same bytes', async () => {
      const cnn = writeTflite(smallCnnModel());
      const image = pseudoRandom(7 * 6 * 4, 9);
      const fresh = await open(cnn);
      const expected = at((await fresh.run([image])).outputs, 0);

      const reused = await open(writeTflite(addModel([1, 3])));
      await reused.run([new Float32Array(3), new Float32Array(3)]);
      await reused.reload(cnn);
      expect(reused.inputs.map((i) => [i.name, i.shape])).toEqual([['image', [1, 7, 6, 4]]]);
      expect(reused.outputs.map((o) => o.name)).toEqual(['probs']);
      const first = at((await reused.run([image])).outputs, 0);
      await reused.reload(cnn);
      const again = at((await reused.run([image])).outputs, 0);
      expect(Array.from(first)).toEqual(Array.from(expected));
      expect(Array.from(again)).toEqual(Array.from(expected));
    });

    it('refuses corrupt bytes with an error naming the file, and keeps the model it had', async () => {
      const session = await open(writeTflite(addModel([1, 3])), { file: 'first.tflite' });
      const cut = writeTflite(fullyConnectedModel([[1, 2]], [0])).slice(0, 40);
      const error = await failure(session.reload(cut, { file: 'cut.tflite' }));
      expect(error.code).toBe('corrupt-model');
      expect(error.file).toBe('cut.tflite');
      expect(error.message).toMatch(/^cut\.tflite: /);
      expect(session.closed).toBe(false);
      expect(session.inputs.map((i) => i.name)).toEqual(['a', 'b']);
      const { outputs } = await session.run([new Float32Array([1, 2, 3]), new Float32Array([1, 1, 1])]);
      expect(Array.from(at(outputs, 0))).toEqual([2, 3, 4]);
    });

    it('keeps the model it had when the runtime refuses the new one', async () => {
      const session = await open(writeTflite(addModel([1, 3])));
      const custom = addModel();
      custom.operatorCodes = [{ code: 32, builtinCode: 32, deprecatedBuiltinCode: 32, customCode: 'ethos-u', version: 1 }];
      expect((await failure(session.reload(writeTflite(custom)))).message).toMatch(/custom operator ethos-u/);
      const { outputs } = await session.run([new Float32Array([1, 2, 3]), new Float32Array([1, 1, 1])]);
      expect(Array.from(at(outputs, 0))).toEqual([2, 3, 4]);
    });

    it('is refused once the session is disposed', async () => {
      const session = await createTfliteSession(writeTflite(addModel()));
      await session.dispose();
      expect(session.closed).toBe(true);
      expect((await failure(session.reload(writeTflite(addModel())))).message).toMatch(/disposed/);
    });
  });
});
