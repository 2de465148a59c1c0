import { describe, expect, it } from 'vitest';
import { makeFeeds, noteConstants } from '../../../../src/engine/runtime/onnx/input-data';
import { planInputs } from '../../../../src/engine/runtime/onnx/input-plan';
import { at, entry } from '../../../helpers/at';

describe('input planning', () => {
  it('fills batch, image and other dynamic dimensions by the documented rule and says so', () => {
    const plan = planInputs([
      { name: 'x', dtype: 'float32', shape: ['N', 3, 'H', 'W'] },
      { name: 'input', dtype: 'float32', shape: ['', ''] },
      { name: 'state', dtype: 'float32', shape: [2, '', 128] },
    ]);
    expect(plan).toHaveLength(3);
    const image = at(plan, 0);
    expect(image.shape).toEqual([1, 3, 224, 224]);
    expect(image.assumed).toHaveLength(3);
    expect(at(image.assumed, 0)).toContain('batch default');
    expect(at(image.assumed, 1)).toContain('image size default');
    expect(at(plan, 1).shape).toEqual([1, 512]);
    expect(at(plan, 2).shape).toEqual([2, 1, 128]);
  });

  it('takes the batch and sequence axes by their names before their positions', () => {
    const plan = planInputs([
      { name: 'tokens', dtype: 'int64', shape: [1, 'seq'] },
      { name: 'mask', dtype: 'bool', shape: [1, 'seq'] },
      { name: 'frames', dtype: 'float32', shape: ['time', 'batch', 40] },
      { name: 'state', dtype: 'float32', shape: [2, 'unk__7', 64] },
    ]);
    expect(at(plan, 0).shape).toEqual([1, 512]);
    expect(at(at(plan, 0).assumed, 0)).toContain('default for other dynamic dimensions');
    expect(at(plan, 1).shape).toEqual([1, 512]);
    // Names over positions: a time-major input.
    expect(at(plan, 2).shape).toEqual([512, 1, 40]);
    expect(at(plan, 3).shape).toEqual([2, 1, 64]);
  });

  it('takes one batch axis per input: a batch-like name after it is a count of items', () => {
    const plan = planInputs([
      { name: 'points', dtype: 'float32', shape: ['batch', 'n', 32] },
      { name: 'x', dtype: 'float32', shape: ['N', 'b', 8] },
    ]);
    expect(at(plan, 0).shape).toEqual([1, 512, 32]);
    expect(at(plan, 1).shape).toEqual([1, 512, 8]);
  });

  it('uses user values by name and by input:axis, and shares named dimensions', () => {
    const plan = planInputs(
      [
        { name: 'a', dtype: 'float32', shape: ['batch', 'seq'] },
        { name: 'b', dtype: 'int64', shape: ['batch', 'seq', 4] },
        { name: 'c', dtype: 'float32', shape: [1, 3, 'h', 'w'] },
      ],
      { seq: 7, batch: 2, 'c:2': 48 },
    );
    expect(at(plan, 0).shape).toEqual([2, 7]);
    expect(at(plan, 1).shape).toEqual([2, 7, 4]);
    expect(at(plan, 0).assumed).toEqual([]);
    expect(at(plan, 2).shape).toEqual([1, 3, 48, 224]);
  });

  it('makes deterministic feeds of every common dtype, with constants where asked', () => {
    const plan = planInputs([
      { name: 'f', dtype: 'float32', shape: [2, 3] },
      { name: 'i', dtype: 'int64', shape: [4] },
      { name: 'u', dtype: 'uint8', shape: [4] },
      { name: 'b', dtype: 'bool', shape: [2] },
      { name: 'h', dtype: 'float16', shape: [2] },
      { name: 'sr', dtype: 'int64', shape: [] },
    ]);
    const one = makeFeeds(plan, 3);
    const two = makeFeeds(plan, 3);
    const f = entry(one, 'f', 'feeds');
    expect(Array.from(f.data as Float32Array)).toEqual(Array.from(entry(two, 'f', 'feeds').data as Float32Array));
    expect(f.dims).toEqual([2, 3]);
    expect((f.data as Float32Array).every((v) => v >= 0 && v < 1)).toBe(true);
    expect(entry(one, 'i', 'feeds').type).toBe('int64');
    expect(at(entry(one, 'sr', 'feeds').data, 0)).toBe(16000n);
    expect(
      noteConstants(plan)
        .find((input) => input.name === 'sr')
        ?.assumed.join(),
    ).toContain('16000');
    expect(at(entry(makeFeeds(plan, 3, undefined, { f: 0.5 }), 'f', 'feeds').data, 0)).toBe(0.5);
  });
});
