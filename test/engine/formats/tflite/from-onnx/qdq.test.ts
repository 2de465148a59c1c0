import { describe, expect, it } from 'vitest';
import { Tensor } from '../../../../../src/engine/ir/tensor';
import { GraphBuilder } from '../../../passes/graph-builder';
import { convertAndRun } from '../convert-check';
import { int, ints } from './attrs';
import { int8 } from './quantized-tensors';

const scalar = (name: string, dtype: 'int8' | 'uint8', v: number): Tensor =>
  new Tensor(name, dtype, [], dtype === 'int8' ? new Uint8Array(Int8Array.of(v).buffer) : Uint8Array.of(v));

describe('QDQ → TFLite', () => {
  it('makes QuantizeLinear/DequantizeLinear of activations QUANTIZE/DEQUANTIZE, and per-channel int8 weights float constants', async () => {
    const b = new GraphBuilder(13);
    const x = b.input('x', [1, 3, 6, 6]);
    // activations: per tensor, int8 and uint8
    const xq = b.op('QuantizeLinear', [x, b.weight('xs', [], [0.02]), b.initializer(scalar('xz', 'int8', 3))]);
    const xd = b.op('DequantizeLinear', [xq, b.weight('xs2', [], [0.02]), b.initializer(scalar('xz2', 'int8', 3))]);
    // weights: int8 per output channel (axis 0); bias: int32 (scale = input scale × weight scale)
    const wScales = [0.01, 0.02, 0.015, 0.005];
    const w = b.op(
      'DequantizeLinear',
      [
        b.initializer(int8('w', [4, 3, 3, 3], 5)),
        b.weight('ws', [4], wScales),
        b.initializer(new Tensor('wz', 'int8', [4], new Uint8Array(4))),
      ],
      {
        axis: int(0),
      },
    );
    const bias = b.op(
      'DequantizeLinear',
      [
        b.initializer(new Tensor('bq', 'int32', [4], new Uint8Array(Int32Array.of(100, -50, 0, 7).buffer))),
        b.weight(
          'bs',
          [4],
          wScales.map((s) => s * 0.02),
        ),
      ],
      { axis: int(0) },
    );
    const y = b.op('Conv', [xd, w, bias], { kernel_shape: ints([3, 3]), pads: ints([1, 1, 1, 1]) });
    const yq = b.op('QuantizeLinear', [y, b.weight('ys', [], [0.05]), b.initializer(scalar('yz', 'uint8', 128))]);
    b.output(b.op('DequantizeLinear', [yq, b.weight('ys2', [], [0.05]), b.initializer(scalar('yz2', 'uint8', 128))]));
    const { maxAbs, ops, result } = await convertAndRun(b.model);
    expect(ops).toContain('QUANTIZE');
    expect(ops).toContain('DEQUANTIZE');
    expect(result.notes.join(' ')).toContain('2 quantized weight tensor(s) are stored as float32');
    // within one output step (0.05): rounding ties may fall either way
    expect(maxAbs).toBeLessThanOrEqual(0.05 + 1e-6);
  });
});
