import { describe, expect, it } from 'vitest';
import { compareOnData } from '../../../src/engine/evaluate/compare-on-data';
import { meetsTarget, score, sensitivity, worstCosine } from '../../../src/engine/quantize/mixed-search';
import { createOrtRunner } from '../../../src/engine/verify/ort-runner';
import { encode, FLOAT, floatTensor, graph, model, node, valueInfo } from '../helpers/onnx-builders';
import { syntheticData } from './tiny-models';

/** x[N,4] → scores = x·A (the first output), landmarks = x·B (a second output). */
function twoOutputs(b: number[]): Uint8Array {
  const a = Array.from({ length: 12 }, (_, i) => (i % 4) / 4 - 0.3);
  return encode(
    model(
      graph({
        node: [node('MatMul', ['x', 'A'], ['scores']), node('MatMul', ['x', 'B'], ['landmarks'])],
        initializer: [floatTensor('A', [4, 3], a), floatTensor('B', [4, 3], b)],
        input: [valueInfo('x', FLOAT, ['N', 4])],
        output: [valueInfo('scores', FLOAT, ['N', 3]), valueInfo('landmarks', FLOAT, ['N', 3])],
      }),
    ),
  );
}

describe('mixed precision scores every output', () => {
  it('a candidate that keeps the first output but breaks another misses a cosine target', async () => {
    const good = Array.from({ length: 12 }, (_, i) => (i - 6) / 6);
    const reference = await createOrtRunner(twoOutputs(good), { role: 'reference' });
    const candidate = await createOrtRunner(twoOutputs(good.map((v, i) => (i % 3 === 0 ? -v : v))), { role: 'candidate' });
    try {
      const result = await compareOnData({ runner: candidate }, { runner: reference }, syntheticData([4], 32));
      expect(result.fidelity?.cosine).toBeCloseTo(1, 6);
      expect(result.outputs).toHaveLength(2);
      expect(worstCosine(result)).toBeLessThan(0.99);
      expect(score(result, { metric: 'cosine', value: 0.99 }, undefined)).toBeLessThan(0);
      expect(sensitivity(result)).toBeGreaterThan(0.01);
      // Top-1 agreement of the first output holds, but the step's cosine floor on every output does not.
      const agreement = { metric: 'top1Agreement' as const, value: 0.99 };
      expect(score(result, agreement, undefined)).toBeGreaterThanOrEqual(0);
      expect(meetsTarget(result, agreement, undefined, undefined)).toBe(true);
      expect(meetsTarget(result, agreement, undefined, 0.99)).toBe(false);
      const same = await compareOnData({ runner: reference }, { runner: reference }, syntheticData([4], 32));
      expect(meetsTarget(same, agreement, undefined, 0.99)).toBe(true);
    } finally {
      await reference.dispose();
      await candidate.dispose();
    }
  });
});
