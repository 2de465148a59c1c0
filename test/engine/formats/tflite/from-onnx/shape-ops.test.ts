import { describe, expect, it } from 'vitest';
import { floatTensor, int64Tensor } from '../../../../../src/engine/passes/util/constants';
import { GraphBuilder } from '../../../passes/graph-builder';
import { convertAndRun } from '../convert-check';
import { int, ints, str } from './attrs';

describe('data-moving ops → TFLite', () => {
  it('reshapes, flattens, squeezes and transposes, taking the ONNX layout back only where needed', async () => {
    const b = new GraphBuilder(13);
    const x = b.input('x', [1, 2, 3, 4]);
    const c = b.op('Conv', [x, b.weight('w', [3, 2, 1, 1])], { kernel_shape: ints([1, 1]) });
    b.output(b.op('Flatten', [c], { axis: int(1) }));
    const t = b.op('Transpose', [c], { perm: ints([0, 2, 3, 1]) });
    b.output(b.op('Relu', [t]));
    b.output(b.op('Reshape', [b.op('Squeeze', [b.op('Unsqueeze', [x, b.ints('ax', [0])]), b.ints('sq', [0])]), b.ints('shape', [2, -1])]));
    const { relative } = await convertAndRun(b.model);
    expect(relative).toBeLessThanOrEqual(1e-5);
  });

  it('lowers a 6-D transpose (pixel shuffle) to one TFLite can run', async () => {
    const b = new GraphBuilder(13);
    const x = b.input('x', [1, 9, 4, 5]);
    const six = b.op('Reshape', [x, b.ints('s6', [1, 1, 3, 3, 4, 5])]);
    const moved = b.op('Transpose', [six], { perm: ints([0, 1, 4, 2, 5, 3]) });
    b.output(b.op('Reshape', [moved, b.ints('s4', [1, 1, 12, 15])]));
    const { relative, result } = await convertAndRun(b.model);
    const ranks = result.model.graph.nodes
      .filter((n) => n.opType === 'TRANSPOSE')
      .map((n) => (n.inputs[0]?.type?.kind === 'tensor' ? (n.inputs[0].type.shape?.length ?? 0) : 0));
    expect(ranks.length).toBeGreaterThan(0);
    expect(Math.max(...ranks)).toBeLessThanOrEqual(5);
    expect(relative).toBe(0);
  });

  it('concatenates and splits in the layout the data is in', async () => {
    const b = new GraphBuilder(13);
    const x = b.input('x', [1, 3, 4, 4]);
    const c1 = b.op('Conv', [x, b.weight('w1', [2, 3, 1, 1])], { kernel_shape: ints([1, 1]) });
    const c2 = b.op('Conv', [x, b.weight('w2', [4, 3, 1, 1])], { kernel_shape: ints([1, 1]) });
    const cat = b.op('Concat', [c1, c2, b.weight('pad', [1, 1, 4, 4])], { axis: int(1) });
    const [s1, s2, s3] = b.opN('Split', [cat, b.ints('split', [1, 2, 4])], 3, { axis: int(1) });
    if (!s1 || !s2 || !s3) throw new Error('split');
    b.output(s1)
      .output(s2)
      .output(b.op('Relu', [s3]));
    const [h1, h2] = b.opN('Split', [x], 2, { axis: int(2) });
    if (!h1 || !h2) throw new Error('split');
    b.output(b.op('Add', [h1, h2]));
    const { relative, ops } = await convertAndRun(b.model);
    expect(ops).toContain('SPLIT_V');
    expect(relative).toBeLessThanOrEqual(1e-5);
  });

  it('slices with negative indices, steps and clamped ends; gathers by constant and run-time indices', async () => {
    const b = new GraphBuilder(13);
    const x = b.input('x', [12, 6, 5]);
    const slice = (starts: number[], ends: number[], axes: number[], steps: number[]) =>
      b.op('Slice', [x, b.ints(`st${starts}`, starts), b.ints(`en${ends}`, ends), b.ints(`ax${axes}`, axes), b.ints(`sp${steps}`, steps)]);
    b.output(slice([1, -4], [3, 1000], [0, 1], [1, 1]));
    b.output(slice([-1, 4], [-1000, 0], [1, 2], [-2, -1]));
    // INT64_MAX, as exporters write "to the end"
    const toEnd = b.initializer(int64Tensor('end', [1], [9223372036854775807n]));
    b.output(b.op('Slice', [x, b.ints('zero', [0]), toEnd, b.ints('axis2', [2]), b.ints('two', [2])]));
    b.output(b.op('Gather', [x, b.initializer(int64Tensor('one', [], [-1]))], { axis: int(1) }));
    b.output(b.op('Gather', [x, b.ints('some', [3, 0, 3])], { axis: int(2) }));
    const idx = b.input('idx', [2], 'int64');
    b.output(b.op('Gather', [x, idx], { axis: int(0) }));
    const { relative } = await convertAndRun(b.model);
    expect(relative).toBe(0);
  });

  it('pads with a constant, reflected or repeated edge values', async () => {
    const b = new GraphBuilder(13);
    const x = b.input('x', [1, 2, 4, 5]);
    const pads = b.ints('pads', [0, 0, 1, 2, 0, 0, 2, 1]);
    b.output(b.op('Pad', [x, pads, b.initializer(floatTensor('v', [], [1.5]))], { mode: str('constant') }));
    b.output(b.op('Pad', [x, pads], { mode: str('reflect') }));
    b.output(b.op('Pad', [x, pads], { mode: str('edge') }));
    const { relative } = await convertAndRun(b.model);
    expect(relative).toBe(0);
  });

  it('expands, tiles and moves blocks between space and depth (DCR and CRD)', async () => {
    const b = new GraphBuilder(13);
    const x = b.input('x', [1, 8, 2, 3]);
    b.output(b.op('DepthToSpace', [x], { blocksize: int(2), mode: str('DCR') }));
    b.output(b.op('DepthToSpace', [x], { blocksize: int(2), mode: str('CRD') }));
    b.output(b.op('SpaceToDepth', [b.input('z', [1, 2, 4, 6])], { blocksize: int(2) }));
    const v = b.input('v', [3, 1]);
    b.output(b.op('Expand', [v, b.ints('to', [2, 3, 4])]));
    b.output(b.op('Tile', [v, b.ints('reps', [2, 3])]));
    const { relative } = await convertAndRun(b.model);
    expect(relative).toBe(0);
  });
});
