import { describe, expect, it } from 'vitest';
import { decodeOnnx } from '../../../src/engine/formats/onnx';
import { inferShapes } from '../../../src/engine/ir';
import { encode, floatTensor, graph, int64Tensor, intsAttr, model, node, valueInfo, FLOAT } from '../helpers/onnx-builders';

function shapeOf(m: ReturnType<typeof decodeOnnx>, name: string): unknown {
  const t = m.graph.value(name)?.type;
  return t?.kind === 'tensor' ? t.shape : undefined;
}

describe('shape inference on malformed nodes', () => {
  it('leaves a dimension unknown when an attribute is shorter than the spatial rank', () => {
    const m = decodeOnnx(
      encode(
        model(
          graph({
            node: [
              node('Conv', ['x', 'w'], ['short_strides'], [intsAttr('strides', [2])]),
              node('Conv', ['x', 'w'], ['short_pads'], [intsAttr('pads', [1, 1])]),
              node('Transpose', ['x'], ['bad_perm'], [intsAttr('perm', [0, 1, 2, 7])]),
            ],
            initializer: [floatTensor('w', [8, 3, 3, 3], new Array(216).fill(0))],
            input: [valueInfo('x', FLOAT, ['N', 3, 16, 16])],
            output: [],
          }),
        ),
      ),
    );
    inferShapes(m);
    expect(shapeOf(m, 'short_strides')).toEqual(['N', 8, 7, null]);
    expect(shapeOf(m, 'short_pads')).toEqual(['N', 8, null, null]);
    expect(shapeOf(m, 'bad_perm')).toEqual(['N', 3, 16, null]);
  });

  it('gives unknown slice dimensions when starts, ends and axes disagree in length', () => {
    const m = decodeOnnx(
      encode(
        model(
          graph({
            node: [node('Slice', ['x', 'starts', 'ends', 'axes'], ['y'])],
            initializer: [int64Tensor('starts', [1], [1]), int64Tensor('ends', [1], [3]), int64Tensor('axes', [2], [2, 3])],
            input: [valueInfo('x', FLOAT, [1, 3, 16, 16])],
            output: [],
          }),
        ),
      ),
    );
    inferShapes(m);
    expect(shapeOf(m, 'y')).toEqual([1, 3, 2, null]);
  });
});
