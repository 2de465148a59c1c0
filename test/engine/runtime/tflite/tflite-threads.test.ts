import { readdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { writeTflite } from '../../../../src/engine/formats/tflite';
import { BuiltinOperator } from '../../../../src/engine/formats/tflite/generated/tflite/builtin-operator';
import { BuiltinOptions } from '../../../../src/engine/formats/tflite/generated/tflite/builtin-options';
import { Conv2DOptionsT } from '../../../../src/engine/formats/tflite/generated/tflite/conv2doptions';
import { createTfliteSession, tfliteThreads, type TfliteSession } from '../../../../src/engine/runtime/tflite';
import { bufferOf, builtinCode, operator, pseudoRandom, singleGraphModel, smallCnnModel, tensor } from '../../helpers/tflite-builders';

/** float32[1,48,48,8] → CONV_2D 3×3, 16 filters, SAME → float32[1,48,48,16]: enough work for XNNPACK to split. */
function convModel(): Uint8Array {
  return writeTflite(
    singleGraphModel({
      tensors: [
        tensor('image', [1, 48, 48, 8]),
        tensor('w', [16, 3, 3, 8], undefined, { buffer: 1 }),
        tensor('b', [16], undefined, { buffer: 2 }),
        tensor('out', [1, 48, 48, 16]),
      ],
      operators: [
        operator(0, [0, 1, 2], [3], {
          builtinOptions: { type: BuiltinOptions.Conv2DOptions, table: new Conv2DOptionsT(0, 1, 1, 0), absentVectors: [] },
        }),
      ],
      inputs: [0],
      outputs: [3],
      codes: [builtinCode(BuiltinOperator.CONV_2D)],
      buffers: [bufferOf(null), bufferOf(pseudoRandom(16 * 9 * 8, 7)), bufferOf(pseudoRandom(16, 8))],
    }),
  );
}

const sessions: TfliteSession[] = [];
async function open(bytes: Uint8Array, threads: number): Promise<TfliteSession> {
  const session = await createTfliteSession(bytes, { threads });
  sessions.push(session);
  return session;
}
afterEach(async () => {
  await Promise.all(sessions.splice(0).map((s) => s.dispose()));
});

const osThreads = (): number => readdirSync('/proc/self/task').length;

describe('TFLite runtime threads', { timeout: 120_000 }, () => {
  it('2 threads give the same outputs as 1, bit for bit', async () => {
    const bytes = convModel();
    const input = pseudoRandom(48 * 48 * 8, 3);
    const one = await (await open(bytes, 1)).run([input]);
    const two = await (await open(bytes, 2)).run([input.slice()]);
    expect(two.outputs[0]).toEqual(one.outputs[0]);
    expect(Array.from(two.outputs[0] ?? []).some((v) => v !== 0)).toBe(true);
  });

  it.runIf(process.platform === 'linux')(
    'more than 1 thread runs the pthread build: its threads start, and stop with the session',
    async () => {
      const bytes = convModel();
      const before = osThreads();
      const single = await open(bytes, 1);
      const withOne = osThreads() - before;
      await single.dispose();
      const threaded = await open(bytes, 2);
      await threaded.run([pseudoRandom(48 * 48 * 8, 4)]);
      // The session's worker, and the pthread workers of the threaded build (it keeps a pool of them).
      expect(osThreads() - before).toBeGreaterThan(withOne + 1);
      await threaded.dispose();
      await expect.poll(() => osThreads() - before, { timeout: 10_000 }).toBeLessThanOrEqual(0);
    },
  );

  it('a threaded session reloads another model in its pool and runs it', async () => {
    const session = await open(convModel(), 2);
    await session.reload(writeTflite(smallCnnModel()));
    const { outputs } = await session.run([pseudoRandom(7 * 6 * 4, 5)]);
    const probs = Array.from(outputs[0] ?? []);
    expect(probs).toHaveLength(5);
    expect(probs.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
  });

  it('0 threads is one per core; anything else at least 1', () => {
    expect(tfliteThreads(0)).toBe(availableParallelism());
    expect(tfliteThreads(undefined)).toBe(1);
    expect(tfliteThreads(-3)).toBe(1);
    expect(tfliteThreads(3)).toBe(3);
  });
});
