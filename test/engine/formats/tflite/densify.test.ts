import { describe, expect, it } from 'vitest';
import { densify } from '../../../../src/engine/formats/tflite/convert/densify';
import { CannotConvert } from '../../../../src/engine/formats/tflite/convert/unconvertible';
import type { TfliteDimensionMetadata, TfliteSparsity } from '../../../../src/engine/formats/tflite';

const dense = (size: number): TfliteDimensionMetadata => ({ format: 0, denseSize: size, arraySegments: null, arrayIndices: null });
const csr = (segments: number[], indices: number[]): TfliteDimensionMetadata => ({
  format: 1,
  denseSize: 0,
  arraySegments: { kind: 'int32', values: segments },
  arrayIndices: { kind: 'int32', values: indices },
});
const VALUES = new Uint8Array(new Float32Array([1, 2, 3, 4, 5, 6, 7, 8]).buffer);

/** A 4×4 matrix stored as 2×2 blocks: block (0,1) holds 1..4 and block (1,0) holds 5..8. */
function blocked(traversalOrder: number[], blockMap = [0, 1]): TfliteSparsity {
  return { traversalOrder, blockMap, dimMetadata: [dense(2), csr([0, 1, 2], [1, 0]), dense(2), dense(2)] };
}

const floats = (bytes: Uint8Array): number[] => Array.from(new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4));

describe('densify (TFLite sparse tensors)', () => {
  it('places 2×2 blocks, traversed row-major inside the block', () => {
    expect(floats(densify(VALUES, 4, [4, 4], blocked([0, 1, 2, 3])))).toEqual([0, 0, 1, 2, 0, 0, 3, 4, 5, 6, 0, 0, 7, 8, 0, 0]);
  });

  it('follows the traversal order inside a block and across blocks', () => {
    expect(floats(densify(VALUES, 4, [4, 4], blocked([0, 1, 3, 2])))).toEqual([0, 0, 1, 3, 0, 0, 2, 4, 5, 7, 0, 0, 6, 8, 0, 0]);
    expect(floats(densify(VALUES, 4, [4, 4], blocked([1, 0, 2, 3])))).toEqual([0, 0, 5, 6, 0, 0, 7, 8, 1, 2, 0, 0, 3, 4, 0, 0]);
  });

  it('rejects metadata that does not describe the tensor, naming the problem', () => {
    const convert = (sparsity: TfliteSparsity) => () => densify(VALUES, 4, [4, 4], sparsity);
    expect(convert(blocked([0, 0, 2, 3]))).toThrow(CannotConvert);
    expect(convert(blocked([0, 1, 2, 3], [0, 5]))).toThrow(/dimension 5, which the tensor lacks/);
    expect(convert(blocked([0, 1, 2, 3], [0]))).toThrow(/traversal order/);
    const short = blocked([0, 1, 2, 3]);
    short.dimMetadata = [dense(2), csr([0, 1], [1]), dense(2), dense(2)];
    expect(convert(short)).toThrow(/fewer segments/);
    short.dimMetadata = [dense(2), csr([0, 1, 2], [1]), dense(2), dense(2)];
    expect(convert(short)).toThrow(/fewer indices/);
    short.dimMetadata = [dense(2), csr([0, 1, 2], [1, -1]), dense(2), dense(2)];
    expect(convert(short)).toThrow(/sparse index \(-1\) lies outside/);
    short.dimMetadata = [dense(2), csr([0, 1, 2], [1, 2]), dense(2), dense(2)];
    expect(convert(short)).toThrow(/sparse index \(2\) lies outside/);
    short.dimMetadata = [dense(3), csr([0, 1, 2], [1, 0]), dense(2), dense(2)];
    expect(convert(short)).toThrow(/larger than its dimension/);
  });
});
