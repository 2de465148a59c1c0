import { describe, expect, it } from 'vitest';
import { writeTflite } from '../../../src/engine/formats/tflite';
import { rememberingRunner } from '../../../src/engine/verify/remembering-runner';
import { createTfliteRunner } from '../../../src/engine/verify/tflite-runner';
import type { RunnerTensor } from '../../../src/engine/verify/model-runner';
import { addModel } from '../helpers/tflite-builders';
import { at } from '../../helpers/at';

const feed = (values: number[]): RunnerTensor => ({ dims: [1, 3], data: Float32Array.from(values) });

describe('rememberingRunner', () => {
  it('answers feeds it has seen from memory and runs new ones', async () => {
    const runner = rememberingRunner(await createTfliteRunner(writeTflite(addModel([1, 3])), { role: 'the reference' }));
    try {
      const first = await runner.run([feed([1, 2, 3]), feed([10, 20, 30])]);
      expect(Array.from(at(first, 0).data as Float32Array)).toEqual([11, 22, 33]);
      // Equal content in new arrays: the remembered outputs, not a new run.
      expect(await runner.run([feed([1, 2, 3]), feed([10, 20, 30])])).toBe(first);
      const other = await runner.run([feed([1, 2, 3]), feed([0, 0, 1])]);
      expect(other).not.toBe(first);
      expect(Array.from(at(other, 0).data as Float32Array)).toEqual([1, 2, 4]);
      // The same bytes under another shape are other feeds.
      const reshaped: RunnerTensor[] = [
        { dims: [3, 1], data: Float32Array.from([1, 2, 3]) },
        { dims: [3, 1], data: Float32Array.from([10, 20, 30]) },
      ];
      expect(await runner.run(reshaped)).not.toBe(first);
    } finally {
      await runner.dispose();
    }
  });
});
