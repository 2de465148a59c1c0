import { describe, expect, it } from 'vitest';
import { GraphBuilder } from '../../../passes/graph-builder';
import { convertAndRun } from '../convert-check';
import { str } from './attrs';

/** One Resize per case from the same input x[1,3,4,5], each a model output. */
function resizes(cases: Array<[string, string, string, number[]]>): GraphBuilder {
  const b = new GraphBuilder(13);
  const x = b.input('x', [1, 3, 4, 5]);
  cases.forEach(([mode, transform, nearest, sizes], i) => {
    const attrs = { mode: str(mode), coordinate_transformation_mode: str(transform), nearest_mode: str(nearest) };
    b.output(b.op('Resize', [x, undefined, undefined, b.ints(`sizes${i}`, sizes)], attrs));
  });
  return b;
}

describe('Resize → TFLite', () => {
  it('converts linear resizing with half-pixel, PyTorch half-pixel, align-corners and asymmetric coordinates', async () => {
    const { relative, ops } = await convertAndRun(
      resizes([
        ['linear', 'half_pixel', 'round_prefer_floor', [1, 3, 8, 10]],
        ['linear', 'half_pixel', 'round_prefer_floor', [1, 3, 6, 7]],
        ['linear', 'pytorch_half_pixel', 'round_prefer_floor', [1, 3, 8, 10]],
        ['linear', 'align_corners', 'round_prefer_floor', [1, 3, 7, 9]],
        ['linear', 'asymmetric', 'round_prefer_floor', [1, 3, 8, 10]],
      ]).model,
    );
    expect(ops.filter((o) => o === 'RESIZE_BILINEAR')).toHaveLength(5);
    expect(relative).toBeLessThanOrEqual(1e-5);
  });

  it('converts nearest resizing in the modes that pick the same pixels as TFLite', async () => {
    const { relative, ops } = await convertAndRun(
      resizes([
        ['nearest', 'asymmetric', 'floor', [1, 3, 8, 15]],
        ['nearest', 'half_pixel', 'round_prefer_floor', [1, 3, 8, 10]],
        ['nearest', 'tf_half_pixel_for_nn', 'floor', [1, 3, 6, 7]],
        ['nearest', 'align_corners', 'round_prefer_ceil', [1, 3, 7, 9]],
      ]).model,
    );
    expect(ops.filter((o) => o === 'RESIZE_NEAREST_NEIGHBOR')).toHaveLength(4);
    expect(relative).toBe(0);
  });

  it('resizes the length of a 3-D (NCL) sequence as an image one pixel high', async () => {
    const b = new GraphBuilder(13);
    const x = b.input('x', [1, 4, 6]);
    const conv = b.op('Conv', [x, b.weight('w', [4, 4, 3])], { pads: { kind: 'ints', value: [1n, 1n] } });
    b.output(
      b.op('Resize', [conv, undefined, b.weight('scales', [3], [1, 1, 2])], {
        mode: str('nearest'),
        nearest_mode: str('floor'),
        coordinate_transformation_mode: str('asymmetric'),
      }),
    );
    b.output(b.op('Resize', [x, undefined, undefined, b.ints('sizes', [1, 4, 9])], { mode: str('linear') }));
    const { relative, ops } = await convertAndRun(b.model);
    expect(ops).toContain('RESIZE_NEAREST_NEIGHBOR');
    expect(ops).toContain('RESIZE_BILINEAR');
    expect(relative).toBeLessThanOrEqual(1e-5);
  });
});
