import { afterAll, describe, expect, it } from 'vitest';
import { GraphBuilder } from '../../../passes/graph-builder';
import { convertAndRun } from '../convert-check';
import { float, str } from './attrs';

afterAll(() => undefined);

function resizeModel(mode: string, transform: string, nearest: string, sizes: number[]): GraphBuilder {
  const b = new GraphBuilder(13);
  const x = b.input('x', [1, 3, 4, 5]);
  const y = b.op('Resize', [x, undefined, undefined, b.ints('sizes', sizes)], {
    mode: str(mode),
    coordinate_transformation_mode: str(transform),
    nearest_mode: str(nearest),
    cubic_coeff_a: float(-0.75),
  });
  b.output(y);
  return b;
}

describe('Resize → TFLite', () => {
  const cases: Array<[string, string, string, number[]]> = [
    ['linear', 'half_pixel', 'round_prefer_floor', [1, 3, 8, 10]],
    ['linear', 'half_pixel', 'round_prefer_floor', [1, 3, 6, 7]],
    ['linear', 'pytorch_half_pixel', 'round_prefer_floor', [1, 3, 8, 10]],
    ['linear', 'align_corners', 'round_prefer_floor', [1, 3, 7, 9]],
    ['linear', 'asymmetric', 'round_prefer_floor', [1, 3, 8, 10]],
    ['nearest', 'asymmetric', 'floor', [1, 3, 8, 15]],
    ['nearest', 'half_pixel', 'round_prefer_floor', [1, 3, 8, 10]],
    ['nearest', 'tf_half_pixel_for_nn', 'floor', [1, 3, 6, 7]],
    ['nearest', 'align_corners', 'round_prefer_ceil', [1, 3, 7, 9]],
  ];
  for (const [mode, transform, nearest, sizes] of cases) {
    it(`${mode} / ${transform} / ${nearest} to ${sizes.join('×')}`, async () => {
      const { relative, ops } = await convertAndRun(resizeModel(mode, transform, nearest, sizes).model);
      expect(ops).toContain(mode === 'linear' ? 'RESIZE_BILINEAR' : 'RESIZE_NEAREST_NEIGHBOR');
      expect(relative).toBeLessThanOrEqual(1e-5);
    });
  }
});
