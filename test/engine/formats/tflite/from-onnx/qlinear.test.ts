import { describe, expect, it } from 'vitest';
import { GraphBuilder } from '../../../passes/graph-builder';
import { convertAndRun } from '../convert-check';
import { ints } from './attrs';
import { qlinearConv } from './qlinear-conv-op';
import { uint8 } from './quantized-tensors';

describe('QLinear* → TFLite', () => {
  it('runs QLinearConv, a padded MaxPool, QLinearMatMul and QLinearAdd within one step of onnxruntime', async () => {
    const b = new GraphBuilder(13);
    b.model.opsets.push({ domain: 'com.microsoft', version: 1 });
    const x = b.input('x', [1, 3, 8, 8]);
    const xs = b.weight('xs', [], [0.02]);
    const xz = b.initializer(uint8('xz', [], [128]));
    const xq = b.op('QuantizeLinear', [x, xs, xz]);
    // weights int8 per output channel, bias int32 in units of xs · ws
    const cs = b.weight('cs', [], [0.05]);
    const cz = b.initializer(uint8('cz', [], [10]));
    const conv = qlinearConv(
      b,
      xq,
      { x: { scale: xs, zero: xz }, y: { scale: cs, zero: cz } },
      { name: 'w', dims: [4, 3, 3, 3], seed: 5, scales: [0.01, 0.02, 0.015, 0.005] },
      { kernel_shape: ints([3, 3]), pads: ints([1, 1, 1, 1]) },
      [900, -500, 0, 70],
    );
    // pads that are not TensorFlow's SAME: padded explicitly, which a quantized tensor cannot take as -∞
    const pooled = b.op('MaxPool', [conv], { kernel_shape: ints([3, 3]), strides: ints([2, 2]), pads: ints([1, 1, 1, 1]) });
    const ms = b.weight('ms', [], [0.1]);
    const mz = b.initializer(uint8('mz', [], [120]));
    const product = b.op('QLinearMatMul', [
      pooled,
      cs,
      cz,
      b.initializer(
        uint8(
          'm',
          [4, 5],
          Array.from({ length: 20 }, (_, i) => (i * 53) % 256),
        ),
      ),
      b.weight('mbs', [], [0.004]),
      b.initializer(uint8('mbz', [], [128])),
      ms,
      mz,
    ]);
    const sum = b.op('QLinearAdd', [
      product,
      ms,
      mz,
      b.initializer(uint8('c', [5], [0, 60, 128, 200, 255])),
      b.weight('css', [], [0.03]),
      b.initializer(uint8('ccz', [], [128])),
      b.weight('ys', [], [0.12]),
      b.initializer(uint8('yz', [], [100])),
    ]);
    const add = b.model.graph.nodes.find((n) => n.opType === 'QLinearAdd');
    if (!add) throw new Error('no QLinearAdd');
    add.domain = 'com.microsoft';
    b.output(sum);
    const { maxAbs, ops, result } = await convertAndRun(b.model);
    expect(ops).toContain('CONV_2D');
    expect(ops).toContain('MAX_POOL_2D');
    expect(result.notes.join(' ')).toContain('4 operator(s) on quantized data');
    // the output is uint8: one step is 1
    expect(maxAbs).toBeLessThanOrEqual(1);
  });
});
