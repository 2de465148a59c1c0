import { describe, expect, it } from 'vitest';
import { decodeOnnx } from '../../../../src/engine/formats/onnx';
import { onnxToTflite } from '../../../../src/engine/formats/tflite';
import { permuteData, permuted } from '../../../../src/engine/formats/tflite/convert/tflite-emitter';
import { OnnxEmitter } from '../../../../src/engine/formats/tflite/convert/onnx-emitter';
import { CannotConvert } from '../../../../src/engine/formats/tflite/convert/unconvertible';
import { encode, floatTensor, graph, int64Tensor, intsAttr, model, node, valueInfo, FLOAT } from '../../helpers/onnx-builders';

/** Converts a one-node float graph x[1,3,8,8] → y and returns why the node could not be converted. */
async function reasonFor(n: ReturnType<typeof node>, initializer: ReturnType<typeof floatTensor>[] = []): Promise<string | undefined> {
  const m = decodeOnnx(
    encode(
      model(graph({ node: [n], initializer, input: [valueInfo('x', FLOAT, [1, 3, 8, 8])], output: [valueInfo('y', FLOAT, [1, 4, 8, 8])] })),
    ),
  );
  return (await onnxToTflite(m)).unconvertible[0]?.reason;
}

describe('ONNX → TFLite on malformed nodes', () => {
  const weights = floatTensor('w', [4, 3, 3, 3], new Array(108).fill(0.5));

  it('names the attribute that has the wrong length', async () => {
    expect(await reasonFor(node('Conv', ['x', 'w'], ['y'], [intsAttr('strides', [1])]), [weights])).toMatch(/strides must have 2 entries/);
    expect(await reasonFor(node('Conv', ['x', 'w'], ['y'], [intsAttr('pads', [1, 1])]), [weights])).toMatch(/pads must have 4 entries/);
    expect(await reasonFor(node('Conv', ['x', 'w'], ['y'], [intsAttr('pads', [1, 1, 1, 1])]), [weights])).toBeUndefined();
  });

  it('rejects weights of the wrong rank, odd pad lists and slice axes outside the input', async () => {
    expect(await reasonFor(node('Conv', ['x', 'w3'], ['y']), [floatTensor('w3', [4, 3, 9], new Array(108).fill(0))])).toMatch(
      /as many dimensions as the input \(4\), not 3/,
    );
    expect(await reasonFor(node('Pad', ['x', 'pads'], ['y']), [int64Tensor('pads', [3], [0, 1, 2])])).toMatch(/a begin and an end/);
    const slice = node('Slice', ['x', 'starts', 'ends', 'axes'], ['y']);
    const bounds = [int64Tensor('starts', [1], [0]), int64Tensor('ends', [1], [2]), int64Tensor('axes', [1], [6])];
    expect(await reasonFor(slice, bounds)).toMatch(/axis 6 is out of range for 4 dimensions/);
  });

  it('accepts only permutations when reordering shapes and data', () => {
    expect(permuted([2, 3, 4], [2, 0, 1])).toEqual([4, 2, 3]);
    expect(() => permuted([2, 3, 4], [0, 0, 1])).toThrow(CannotConvert);
    expect(() => permuted([2, 3, 4], [0, 1, 3])).toThrow(/not a permutation of 3 axes/);
    expect(Array.from(permuteData(Uint8Array.from([1, 2, 3, 4, 5, 6]), [2, 3], [1, 0], 1))).toEqual([1, 4, 2, 5, 3, 6]);
  });

  it('TFLite → ONNX: a number a corrupt file leaves missing or not whole is refused in words, not a BigInt TypeError', () => {
    const em = new OnnxEmitter();
    const x = em.value('x', 'float32', [1, 4]);
    // What an op translation hands on when the file's shape, option or constant is missing.
    const missing = [1, undefined] as unknown as number[];
    expect(() => em.int64(missing)).toThrow(CannotConvert);
    expect(() => em.int64(missing)).toThrow(/a constant needs a whole number, and the file gives undefined/);
    expect(() => em.int64([1, 0.5])).toThrow(/gives 0\.5/);
    expect(() => em.op('Transpose', [x], { perm: [0, Number.NaN] }, 't')).toThrow(
      /attribute perm needs a whole number, and the file gives NaN/,
    );
    expect(em.int64([-1, 4]).initializer?.dims).toEqual([2]);
  });
});
