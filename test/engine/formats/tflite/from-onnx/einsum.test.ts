import { describe, expect, it } from 'vitest';
import { parseEinsum } from '../../../../../src/engine/formats/tflite/convert/from-onnx/lower-einsum';
import { onnxToTflite } from '../../../../../src/engine/formats/tflite';
import { GraphBuilder } from '../../../passes/graph-builder';
import { convertAndRun } from '../convert-check';

const equation = (value: string) => ({ equation: { kind: 'string' as const, value: new TextEncoder().encode(value) } });

function einsum(eq: string, shapes: number[][], out: number[], constantLast = false): GraphBuilder {
  const b = new GraphBuilder(13);
  const inputs = shapes.map((s, i) => (constantLast && i === shapes.length - 1 ? b.weight(`w${i}`, s) : b.input(`x${i}`, s)));
  b.output(b.op('Einsum', inputs, equation(eq)), out);
  return b;
}

describe('ONNX Einsum → TFLite (lowered to transposes, sums and matrix products)', () => {
  it.each([
    [
      'bid,bjd->bij',
      [
        [2, 5, 8],
        [2, 6, 8],
      ],
      [2, 5, 6],
    ],
    [
      'bij,bjd->bid',
      [
        [2, 5, 6],
        [2, 6, 8],
      ],
      [2, 5, 8],
    ],
    [
      'ij,jk',
      [
        [3, 4],
        [4, 5],
      ],
      [3, 5],
    ],
    [
      'ij,jk,kl->il',
      [
        [3, 4],
        [4, 5],
        [5, 2],
      ],
      [3, 2],
    ],
    [
      'bhqd,bhkd->bhqk',
      [
        [1, 2, 4, 8],
        [1, 2, 6, 8],
      ],
      [1, 2, 4, 6],
    ],
    [
      '...d,de->...e',
      [
        [2, 3, 8],
        [8, 4],
      ],
      [2, 3, 4],
    ],
    [
      'bi,bi->b',
      [
        [3, 7],
        [3, 7],
      ],
      [3],
    ],
    ['i,j->ij', [[4], [5]], [4, 5]],
    ['bij->bji', [[2, 3, 4]], [2, 4, 3]],
    ['bij->b', [[2, 3, 4]], [2]],
    [
      'ab,cbd->acd',
      [
        [3, 4],
        [2, 4, 5],
      ],
      [3, 2, 5],
    ],
    ['nij,j->ni', [[2, 3, 4], [4]], [2, 3]],
  ] as const)('%s', async (eq, shapes, out) => {
    const check = await convertAndRun(
      einsum(
        eq,
        shapes.map((s) => [...s]),
        [...out],
      ).model,
    );
    expect(check.ops).not.toContain('CUSTOM');
    expect(check.relative).toBeLessThan(1e-5);
  });

  it('a constant right-hand side becomes a fully connected layer or a matrix product', async () => {
    const check = await convertAndRun(
      einsum(
        'bsd,de->bse',
        [
          [1, 4, 8],
          [8, 3],
        ],
        [1, 4, 3],
        true,
      ).model,
    );
    expect(check.relative).toBeLessThan(1e-5);
  });

  it('a diagonal is refused with the equation named', async () => {
    const result = await onnxToTflite(einsum('ii->i', [[4, 4]], [4]).model);
    expect(result.unconvertible).toHaveLength(1);
    expect(result.unconvertible[0]?.reason).toMatch(/Einsum "ii->i".*repeated label/);
  });

  it('reads implicit outputs and ellipses as the ONNX specification says', () => {
    expect(parseEinsum('ij,jk', [2, 2])).toEqual({
      inputs: [
        ['i', 'j'],
        ['j', 'k'],
      ],
      output: ['i', 'k'],
    });
    expect(parseEinsum('ba,ca', [2, 2])).toEqual({
      inputs: [
        ['b', 'a'],
        ['c', 'a'],
      ],
      output: ['b', 'c'],
    });
    expect(parseEinsum('...ij,...jk->...ik', [4, 3])?.inputs).toEqual([
      ['0', '1', 'i', 'j'],
      ['1', 'j', 'k'],
    ]);
    expect(parseEinsum('...ij,...jk', [3, 3])?.output).toEqual(['0', 'i', 'k']);
    expect(parseEinsum('ij,jk->ik', [3, 2])).toBeUndefined();
  });
});
