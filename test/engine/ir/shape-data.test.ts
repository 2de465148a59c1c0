import { describe, expect, it } from 'vitest';
import { encodeOnnx } from '../../../src/engine/formats/onnx';
import { inferShapes } from '../../../src/engine/ir';
import type { Dim } from '../../../src/engine/ir/shape';
import { Tensor } from '../../../src/engine/ir/tensor';
import type { Value } from '../../../src/engine/ir/value';
import { GraphBuilder, randomFeeds, runOnnx } from '../passes/graph-builder';

const shapeOf = (v: Value): Dim[] | undefined => (v.type?.kind === 'tensor' ? v.type.shape : undefined);
const ints = (values: number[]) => ({ kind: 'ints' as const, value: values.map(BigInt) });
const onesInt64 = (): Tensor => new Tensor('one', 'int64', [1], new Uint8Array(BigInt64Array.from([1n]).buffer));

// The way exporters split attention heads: the Reshape target is computed from the input's own
// shape at run time (Shape → Gather → Unsqueeze → Concat), with an open batch dimension.
function headSplit(): { b: GraphBuilder; heads: Value; merged: Value; upsampled: Value } {
  const b = new GraphBuilder(13);
  const x = b.input('x', ['batch', 16, 64]);
  const shape = b.op('Shape', [x]);
  const batch = b.op('Unsqueeze', [
    b.op('Gather', [shape, b.ints('zero', [0], [])], { axis: { kind: 'int', value: 0n } }),
    b.ints('ax0', [0]),
  ]);
  const seq = b.op('Unsqueeze', [b.op('Gather', [shape, b.ints('one', [1], [])]), b.ints('ax0b', [0])]);
  const target = b.op('Concat', [batch, seq, b.ints('heads_dims', [4, -1])], { axis: { kind: 'int', value: 0n } });
  const heads = b.op('Reshape', [x, target], {}, 'heads');
  const t = b.op('Transpose', [heads], { perm: ints([0, 2, 1, 3]) });
  const scores = b.op('MatMul', [t, b.op('Transpose', [t], { perm: ints([0, 1, 3, 2]) })], {}, 'scores');
  // Merge the heads back: [batch, 4, 16, 16] → [batch, 16·4·16/16 …] via Slice of the shape.
  const firstTwo = b.op('Slice', [b.op('Shape', [scores]), b.ints('s0', [0]), b.ints('s2', [2])]);
  const merged = b.op(
    'Reshape',
    [scores, b.op('Concat', [firstTwo, b.ints('m1', [-1])], { axis: { kind: 'int', value: 0n } })],
    {},
    'merged',
  );
  const image = b.op('Reshape', [merged, b.op('Concat', [batch, b.ints('img', [4, 16, 16])], { axis: { kind: 'int', value: 0n } })]);
  const upsampled = b.op('Resize', [image, b.weight('roi_none', [0], []), b.weight('scales', [4], [1, 1, 2, 0.5])], {}, 'upsampled');
  b.output(b.op('Identity', [upsampled], {}, 'upsampled_out'));
  b.output(b.op('Identity', [merged], {}, 'merged_out'));
  return { b, heads, merged, upsampled };
}

describe('shape data propagation', () => {
  it('follows shapes computed at run time into Reshape, and scales into Resize', async () => {
    const { b, heads, merged, upsampled } = headSplit();
    inferShapes(b.model);
    expect(shapeOf(heads)).toEqual(['batch', 16, 4, 16]);
    expect(shapeOf(merged)).toEqual(['batch', 4, 256]);
    expect(shapeOf(upsampled)).toEqual(['batch', 4, 32, 8]);
    // What onnxruntime computes, with batch = 3.
    const out = await runOnnx(encodeOnnx(b.model), randomFeeds(b.model, 3));
    expect(out.merged_out?.dims).toEqual([3, 4, 256]);
    expect(out.upsampled_out?.dims).toEqual([3, 4, 32, 8]);
  });

  it('leaves a -1 unknown when symbolic dimensions do not cancel', () => {
    const b = new GraphBuilder(13);
    const x = b.input('x', ['batch', 8]);
    const flat = b.op('Reshape', [x, b.ints('minus_one', [-1])], {}, 'flat');
    const kept = b.op(
      'Reshape',
      [
        x,
        b.op('Concat', [b.ints('two', [2]), b.op('Shape', [x], { start: { kind: 'int', value: 0n }, end: { kind: 'int', value: 1n } })], {
          axis: { kind: 'int', value: 0n },
        }),
      ],
      {},
      'kept',
    );
    b.output(b.op('Identity', [flat])).output(b.op('Identity', [kept]));
    inferShapes(b.model);
    expect(shapeOf(flat)).toEqual([null]);
    expect(shapeOf(kept)).toEqual([2, 'batch']);
  });

  it("follows PyTorch's expand target, where -1 means keep the size (Where(Equal(s, -1), 1, s))", async () => {
    const b = new GraphBuilder(15);
    const mask = b.input('mask', [1, 1, 1, 'seq']);
    const x = b.input('x', [4, 'seq', 'seq']);
    const target = b.op('Concat', [b.ints('lead', [1, 4]), b.op('Shape', [x], { start: { kind: 'int', value: 1n } })], {
      axis: { kind: 'int', value: 0n },
    });
    const keep = b.op('Equal', [target, b.ints('minus', [-1], [])]);
    const sizes = b.op('Where', [
      keep,
      b.op('ConstantOfShape', [b.ints('four', [4])], { value: { kind: 'tensor', value: onesInt64() } }),
      target,
    ]);
    const expanded = b.op('Expand', [mask, sizes], {}, 'expanded');
    b.output(b.op('Identity', [expanded], {}, 'expanded_out'));
    inferShapes(b.model);
    expect(shapeOf(expanded)).toEqual([1, 4, 'seq', 'seq']);
    const out = await runOnnx(encodeOnnx(b.model), randomFeeds(b.model, 5));
    expect(out.expanded_out?.dims).toEqual([1, 4, 5, 5]);
  });
});
