import { describe, expect, it } from 'vitest';
import { randomSource } from '../../../src/engine/data/random-source';
import { layerErrors } from '../../../src/engine/evaluate/layer-errors';
import { encodeOnnx } from '../../../src/engine/formats/onnx';
import { intsAttr } from '../../../src/engine/passes/util/attributes';
import { GraphBuilder, randomFloats } from '../passes/graph-builder';

/** x[N,2,4,4] → Conv "c1" (filters×2×3×3) → Relu → Conv "c2" (3×filters×1×1): c2 reads every filter c1 keeps. */
function twoConvs(filters: number, c2Scale = 1): Uint8Array {
  const b = new GraphBuilder();
  const x = b.input('x', ['N', 2, 4, 4]);
  const c1 = b.op('Conv', [x, b.weight('c1.w', [filters, 2, 3, 3], randomFloats(filters * 18, 1))], { pads: intsAttr([1, 1, 1, 1]) }, 'c1');
  const w2 = randomFloats(3 * filters, 2).map((v) => v * c2Scale);
  const c2 = b.op('Conv', [b.op('Relu', [c1]), b.weight('c2.w', [3, filters, 1, 1], w2)], {}, 'c2');
  b.output(c2, ['N', 3, 4, 4]);
  return encodeOnnx(b.model);
}

const layout = { name: 'x', kind: 'NCHW' as const, sampleDims: [2, 4, 4], channels: 2, height: 4, width: 4 };

describe('layerErrors', () => {
  it('leaves out a layer whose output lost channels and measures the layers of equal size', async () => {
    // The candidate's c1 has 2 of the 4 filters (as structured pruning leaves it); c2 keeps its size.
    const errors = await layerErrors(twoConvs(4), twoConvs(2), randomSource(layout, 4), { samples: 4 });
    expect(errors.map((e) => e.name)).toEqual(['c2']);
    for (const e of errors) {
      expect(Number.isFinite(e.sqnrDb)).toBe(true);
      expect(Number.isFinite(e.cosine)).toBe(true);
    }
  });

  it('measures every shared layer when sizes match', async () => {
    const errors = await layerErrors(twoConvs(4), twoConvs(4, 1.01), randomSource(layout, 4), { samples: 4 });
    expect(errors.map((e) => e.name).sort()).toEqual(['c1', 'c2']);
    expect(errors.find((e) => e.name === 'c1')?.cosine).toBeCloseTo(1, 6);
    expect(errors.find((e) => e.name === 'c2')?.sqnrDb).toBeLessThan(60);
  });
});
