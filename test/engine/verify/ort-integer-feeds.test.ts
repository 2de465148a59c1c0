import { describe, expect, it } from 'vitest';
import { LitheError } from '../../../src/engine/errors';
import { createOrtRunner } from '../../../src/engine/verify/ort-runner';
import { encode, graph, model, node, valueInfo } from '../helpers/onnx-builders';

const INT32 = 6;

/** y = Identity(x) with x: int32[3] — the shape a conversion leaves when it narrows an int64 input. */
const int32Identity = () =>
  encode(
    model(graph({ node: [node('Identity', ['x'], ['y'])], input: [valueInfo('x', INT32, [3])], output: [valueInfo('y', INT32, [3])] })),
  );

describe('onnxruntime runner, integer inputs of another width than the feed', () => {
  it('feeds int64 sample values into an int32 input', async () => {
    const runner = await createOrtRunner(int32Identity(), { role: 'the converted model' });
    try {
      const [y] = await runner.run([{ dims: [3], data: BigInt64Array.from([16000n, -2n, 0n]) }]);
      expect(y!.data).toBeInstanceOf(Int32Array);
      expect(Array.from(y!.data as Int32Array)).toEqual([16000, -2, 0]);
    } finally {
      await runner.dispose();
    }
  });

  it('refuses a value the narrower input cannot hold, naming the input', async () => {
    const runner = await createOrtRunner(int32Identity(), { role: 'the converted model' });
    try {
      const run = runner.run([{ dims: [3], data: BigInt64Array.from([2n ** 40n, 0n, 0n]) }]);
      await expect(run).rejects.toBeInstanceOf(LitheError);
      await expect(run).rejects.toThrow(/input "x" \(int32\).*does not fit/);
    } finally {
      await runner.dispose();
    }
  });
});
