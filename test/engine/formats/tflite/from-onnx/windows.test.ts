import { describe, expect, it } from 'vitest';
import { GraphBuilder } from '../../../passes/graph-builder';
import { convertAndRun } from '../convert-check';
import { float, int, ints, str } from './attrs';

const TOLERANCE = 1e-5;

describe('convolutions → TFLite', () => {
  it('converts 2-D convolutions with SAME-like, asymmetric, strided and dilated windows', async () => {
    const b = new GraphBuilder(13);
    const x = b.input('x', [1, 3, 9, 10]);
    const w = b.weight('w', [4, 3, 3, 3]);
    const bias = b.weight('bias', [4]);
    b.output(b.op('Conv', [x, w, bias], { kernel_shape: ints([3, 3]), pads: ints([1, 1, 1, 1]) }));
    b.output(b.op('Conv', [x, w], { kernel_shape: ints([3, 3]), pads: ints([0, 2, 1, 0]), strides: ints([2, 2]) }));
    b.output(b.op('Conv', [x, w, bias], { kernel_shape: ints([3, 3]), dilations: ints([2, 2]), pads: ints([2, 2, 2, 2]) }));
    b.output(b.op('Conv', [x, w], { kernel_shape: ints([3, 3]), strides: ints([2, 1]), auto_pad: str('SAME_LOWER') }));
    const { relative, ops } = await convertAndRun(b.model);
    expect(ops.filter((o) => o === 'CONV_2D')).toHaveLength(4);
    expect(relative).toBeLessThanOrEqual(TOLERANCE);
  });

  it('converts depthwise and grouped convolutions, and 1-D convolution and pooling', async () => {
    const b = new GraphBuilder(13);
    const x = b.input('x', [1, 4, 6, 6]);
    b.output(b.op('Conv', [x, b.weight('dw', [8, 1, 3, 3])], { kernel_shape: ints([3, 3]), group: int(4), pads: ints([1, 1, 1, 1]) }));
    b.output(b.op('Conv', [x, b.weight('gw', [6, 2, 3, 3])], { kernel_shape: ints([3, 3]), group: int(2) }));
    const s = b.input('s', [1, 3, 20]);
    const c1 = b.op('Conv', [s, b.weight('w1', [5, 3, 4]), b.weight('b1', [5])], {
      kernel_shape: ints([4]),
      strides: ints([2]),
      pads: ints([1, 2]),
    });
    b.output(b.op('MaxPool', [c1], { kernel_shape: ints([2]), strides: ints([2]) }));
    const { relative, ops } = await convertAndRun(b.model);
    expect(ops).toContain('DEPTHWISE_CONV_2D');
    expect(relative).toBeLessThanOrEqual(TOLERANCE);
  });

  it('converts transposed convolution with strides, pads and bias', async () => {
    const b = new GraphBuilder(13);
    const x = b.input('x', [1, 3, 5, 4]);
    const w = b.weight('w', [3, 2, 3, 3]);
    b.output(
      b.op('ConvTranspose', [x, w, b.weight('bias', [2])], { kernel_shape: ints([3, 3]), strides: ints([2, 2]), pads: ints([1, 1, 1, 1]) }),
    );
    b.output(b.op('ConvTranspose', [x, w], { kernel_shape: ints([3, 3]), strides: ints([2, 2]), auto_pad: str('SAME_UPPER') }));
    const { relative, ops } = await convertAndRun(b.model);
    expect(ops).toContain('TRANSPOSE_CONV');
    expect(relative).toBeLessThanOrEqual(TOLERANCE);
  });

  it('converts pooling with ceil mode, explicit pads and counted padding, and global pooling', async () => {
    const b = new GraphBuilder(13);
    const x = b.input('x', [1, 2, 7, 7]);
    b.output(b.op('MaxPool', [x], { kernel_shape: ints([3, 3]), strides: ints([2, 2]), ceil_mode: int(1) }));
    b.output(b.op('MaxPool', [x], { kernel_shape: ints([2, 2]), pads: ints([1, 0, 0, 1]) }));
    b.output(b.op('AveragePool', [x], { kernel_shape: ints([3, 3]), pads: ints([1, 1, 1, 1]), count_include_pad: int(1) }));
    b.output(b.op('AveragePool', [x], { kernel_shape: ints([3, 3]), strides: ints([2, 2]), auto_pad: str('SAME_UPPER') }));
    b.output(b.op('GlobalAveragePool', [x]));
    b.output(b.op('GlobalMaxPool', [x]));
    const { relative } = await convertAndRun(b.model);
    expect(relative).toBeLessThanOrEqual(TOLERANCE);
  });

  it('folds batch normalization into one multiply and add, in the layout the data is in', async () => {
    const b = new GraphBuilder(13);
    const x = b.input('x', [1, 3, 5, 5]);
    const c = b.op('Conv', [x, b.weight('w', [4, 3, 1, 1])], { kernel_shape: ints([1, 1]) });
    const scale = b.weight('scale', [4]);
    const mean = b.weight('mean', [4]);
    const variance = b.weight('var', [4], [0.5, 1, 1.5, 2]);
    b.output(b.op('BatchNormalization', [c, scale, b.weight('beta', [4]), mean, variance], { epsilon: float(1e-3) }));
    const { relative, ops } = await convertAndRun(b.model);
    expect(ops).not.toContain('TRANSPOSE_CONV');
    expect(ops.filter((o) => o === 'TRANSPOSE')).toHaveLength(2);
    expect(relative).toBeLessThanOrEqual(TOLERANCE);
  });
});
