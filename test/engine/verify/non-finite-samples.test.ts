import { describe, expect, it } from 'vitest';
import { createVerifier } from '../../../src/engine/verify/verifier';
import { encode, floatTensor, FLOAT, graph, model, node, valueInfo } from '../helpers/onnx-builders';

const BOOL = 9;

/** y = Where(mask, NaN, x): like attention over a padding mask that hides every position. */
const maskedModel = (fill: number) =>
  encode(
    model(
      graph({
        node: [node('Where', ['mask', 'fill', 'x'], ['y'])],
        initializer: [floatTensor('fill', [1], [fill])],
        input: [valueInfo('mask', BOOL, [1]), valueInfo('x', FLOAT, [1, 8])],
        output: [valueInfo('y', FLOAT, [1, 8])],
      }),
    ),
  );

describe('generated samples on which the original gives NaN', () => {
  it('are drawn again, so a candidate that differs only there is judged on real numbers', async () => {
    const verifier = await createVerifier(maskedModel(Number.NaN), 'onnx', { samples: 6 });
    try {
      // The candidate gives 0 where the original gives NaN: comparable only on sets the mask leaves open.
      const verification = await verifier.verify(maskedModel(0), 'onnx');
      expect(verification.verdict).toBe('identical');
      expect(Number.isFinite(verification.worst.relative)).toBe(true);
      expect(verification.outputs[0]?.mismatch).toBeUndefined();
    } finally {
      await verifier.dispose();
    }
  });
});
