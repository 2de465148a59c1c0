import { describe, expect, it } from 'vitest';
import { decodeOnnx } from '../../../src/engine/formats/onnx';
import { inferShapes } from '../../../src/engine/ir';
import { broadcast } from '../../../src/engine/ir/shape-rules';
import { encode, floatTensor, graph, int64Tensor, intAttr, intsAttr, model, node, valueInfo, FLOAT } from '../helpers/onnx-builders';
import { at } from '../../helpers/at';

function typeOf(m: ReturnType<typeof decodeOnnx>, name: string): unknown {
  const t = m.graph.value(name)?.type;
  return t?.kind === 'tensor' ? { dtype: t.dtype, shape: t.shape } : undefined;
}

describe('shape inference', () => {
  it('infers a small CNN: Conv → Relu → MaxPool → Flatten → Gemm', () => {
    const m = decodeOnnx(
      encode(
        model(
          graph({
            node: [
              node('Conv', ['x', 'w'], ['c'], [intsAttr('pads', [1, 1, 1, 1]), intsAttr('strides', [2, 2])]),
              node('Relu', ['c'], ['r']),
              node('MaxPool', ['r'], ['p'], [intsAttr('kernel_shape', [2, 2]), intsAttr('strides', [2, 2])]),
              node('Flatten', ['p'], ['f']),
              node('Gemm', ['f', 'fc'], ['y'], [intAttr('transB', 1)]),
            ],
            initializer: [floatTensor('w', [8, 3, 3, 3], new Array(216).fill(0)), floatTensor('fc', [10, 128], new Array(1280).fill(0))],
            input: [valueInfo('x', FLOAT, ['N', 3, 16, 16])],
            output: [valueInfo('y', FLOAT, ['N', 10])],
          }),
        ),
      ),
    );
    inferShapes(m);
    expect(typeOf(m, 'c')).toEqual({ dtype: 'float32', shape: ['N', 8, 8, 8] });
    expect(typeOf(m, 'p')).toEqual({ dtype: 'float32', shape: ['N', 8, 4, 4] });
    expect(typeOf(m, 'f')).toEqual({ dtype: 'float32', shape: ['N', 128] });
    expect(typeOf(m, 'y')).toEqual({ dtype: 'float32', shape: ['N', 10] }); // declared, kept
  });

  it('uses constant shapes for Reshape, and axes inputs for Unsqueeze at opset 13', () => {
    const m = decodeOnnx(
      encode(
        model(
          graph({
            node: [
              node('Reshape', ['x', 's'], ['r']),
              node('Unsqueeze', ['r', 'ax'], ['u']),
              node('MatMul', ['u', 'w'], ['m']),
              node('Identity', ['m'], ['y']),
            ],
            initializer: [int64Tensor('s', [2], [-1, 6]), int64Tensor('ax', [1], [0]), floatTensor('w', [6, 2], new Array(12).fill(0))],
            input: [valueInfo('x', FLOAT, [2, 3, 4])],
            output: [valueInfo('y', FLOAT, [])],
          }),
        ),
      ),
    );
    at(m.graph.outputs, 0).type = undefined;
    inferShapes(m);
    expect(at(m.graph.outputs, 0).type).toBeUndefined(); // declared values are left as declared
    expect(typeOf(m, 'r')).toEqual({ dtype: 'float32', shape: [4, 6] });
    expect(typeOf(m, 'u')).toEqual({ dtype: 'float32', shape: [1, 4, 6] });
    expect(typeOf(m, 'm')).toEqual({ dtype: 'float32', shape: [1, 4, 2] });
  });

  it('handles Pad, Slice and Split with constant inputs', () => {
    const m = decodeOnnx(
      encode(
        model(
          graph({
            node: [
              node('Pad', ['x', 'pads'], ['p']),
              node('Slice', ['p', 'st', 'en', 'ax'], ['s']),
              node('Split', ['s'], ['s1', 's2'], [intAttr('axis', 1)]),
              node('Identity', ['s1'], ['y']),
            ],
            initializer: [
              int64Tensor('pads', [4], [0, 1, 0, 1]),
              int64Tensor('st', [1], [1]),
              int64Tensor('en', [1], [-1]),
              int64Tensor('ax', [1], [0]),
            ],
            input: [valueInfo('x', FLOAT, [5, 6])],
            output: [valueInfo('y', FLOAT, [3, 4])],
          }),
        ),
      ),
    );
    inferShapes(m);
    expect(typeOf(m, 'p')).toEqual({ dtype: 'float32', shape: [5, 8] });
    expect(typeOf(m, 's')).toEqual({ dtype: 'float32', shape: [3, 8] });
    expect(typeOf(m, 's2')).toEqual({ dtype: 'float32', shape: [3, 4] });
  });

  it('broadcasts numpy-style with symbolic dims', () => {
    expect(
      broadcast([
        ['N', 1, 4],
        [3, 1],
      ]),
    ).toEqual(['N', 3, 4]);
    expect(broadcast([[2, 3], undefined])).toBeUndefined();
    // an unknown dimension is not a 1: it stays unknown
    expect(broadcast([[null, 129, null], []])).toEqual([null, 129, null]);
    expect(
      broadcast([
        [null, 3],
        [4, 3],
      ]),
    ).toEqual([null, 3]);
  });

  it('sizes Range from constant start, limit and delta (int64 and float), and leaves it open otherwise', () => {
    const m = decodeOnnx(
      encode(
        model(
          graph({
            node: [
              node('Range', ['i0', 'i10', 'i3'], ['ints']),
              node('Range', ['f0', 'f1', 'fstep'], ['floats']),
              node('Range', ['i10', 'i0', 'i3'], ['empty']),
              node('Range', ['i0', 'n', 'i3'], ['open']),
              node('Identity', ['floats'], ['y']),
            ],
            initializer: [
              int64Tensor('i0', [], [0]),
              int64Tensor('i10', [], [10]),
              int64Tensor('i3', [], [3]),
              floatTensor('f0', [], [0]),
              floatTensor('f1', [], [1]),
              floatTensor('fstep', [], [0.25]),
            ],
            input: [valueInfo('n', 7, [])],
            output: [valueInfo('y', FLOAT, ['count'])],
          }),
        ),
      ),
    );
    inferShapes(m);
    expect(typeOf(m, 'ints')).toEqual({ dtype: 'int64', shape: [4] });
    expect(typeOf(m, 'floats')).toEqual({ dtype: 'float32', shape: [4] });
    expect(typeOf(m, 'empty')).toEqual({ dtype: 'int64', shape: [0] });
    expect(typeOf(m, 'open')).toEqual({ dtype: 'int64', shape: [null] });
    expect(typeOf(m, 'y')).toEqual({ dtype: 'float32', shape: ['count'] }); // declared, kept
    // For estimates: a declared shape with open dimensions gives way to the inferred one.
    inferShapes(m, { openDeclared: true });
    expect(typeOf(m, 'y')).toEqual({ dtype: 'float32', shape: [4] });
  });
});
