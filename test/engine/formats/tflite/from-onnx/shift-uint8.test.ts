import { describe, expect, it } from 'vitest';
import { shiftUint8ToInt8 } from '../../../../../src/engine/formats/tflite/convert/from-onnx/shift-uint8';
import { inferShapes } from '../../../../../src/engine/ir/shape-inference';
import type { Value } from '../../../../../src/engine/ir/value';
import { GraphBuilder } from '../../../passes/graph-builder';
import { convertAndRun } from '../convert-check';
import { ints } from './attrs';
import { qlinearConv } from './qlinear-conv-op';
import { uint8 } from './quantized-tensors';

/** A "U8S8" model: float in, uint8 activations, int8 weights per channel, float out. */
function u8s8(): { b: GraphBuilder; step: number; conv: Value } {
  const b = new GraphBuilder(13);
  const x = b.input('x', [1, 3, 8, 8]);
  const xs = b.weight('xs', [], [0.01]);
  // no zero point: QuantizeLinear's default, uint8 0
  const xq = b.op('QuantizeLinear', [x, xs]);
  const cs = b.weight('cs', [], [0.05]);
  const cz = b.initializer(uint8('cz', [], [10]));
  const conv = qlinearConv(
    b,
    xq,
    { x: { scale: xs, zero: b.initializer(uint8('xz', [], [0])) }, y: { scale: cs, zero: cz } },
    { name: 'w', dims: [4, 3, 3, 3], seed: 5, scales: [0.01, 0.02, 0.015, 0.005] },
    { kernel_shape: ints([3, 3]), pads: ints([1, 1, 1, 1]) },
    [900, -500, 0, 70],
  );
  const pooled = b.op('MaxPool', [conv], { kernel_shape: ints([3, 3]), strides: ints([2, 2]), pads: ints([1, 1, 1, 1]) });
  const ds = b.weight('ds', [], [0.03]);
  const dz = b.initializer(uint8('dz', [], [131]));
  const depthwise = qlinearConv(
    b,
    pooled,
    { x: { scale: cs, zero: cz }, y: { scale: ds, zero: dz } },
    { name: 'dw', dims: [4, 1, 3, 3], seed: 9, scales: [0.02, 0.01, 0.03, 0.02] },
    { kernel_shape: ints([3, 3]), pads: ints([1, 1, 1, 1]), group: { kind: 'int', value: 4n } },
  );
  b.output(b.op('DequantizeLinear', [depthwise, ds, dz]));
  return { b, step: 0.03, conv };
}

describe('uint8 quantized activations → int8 for TFLite', () => {
  it("runs a uint8 QLinearConv model on TFLite's int8 kernels, matching onnxruntime", async () => {
    const { b, step } = u8s8();
    const { maxAbs, result } = await convertAndRun(b.model);
    const convs = result.model.graph.nodes.filter((n) => n.opType === 'CONV_2D' || n.opType === 'DEPTHWISE_CONV_2D');
    expect(convs.map((n) => n.opType)).toEqual(['CONV_2D', 'DEPTHWISE_CONV_2D']);
    for (const node of convs) {
      const input = node.inputs[0]!;
      expect(input.type?.kind === 'tensor' && input.type.dtype).toBe('int8');
      expect(input.quantization?.zeroPoint[0]).toBeLessThan(0);
    }
    expect(result.notes.join(' ')).toContain('held as int8 with zero points moved by −128');
    // same integer arithmetic: at most a rounding tie apart, one step of the output
    expect(maxAbs).toBeLessThanOrEqual(step * 1.001);
  });

  it('leaves the model as it was when a uint8 value reaches the interface or an operator the shift does not pass', () => {
    const exposed = u8s8();
    exposed.b.model.graph.outputs.push(exposed.conv);
    inferShapes(exposed.b.model);
    expect(shiftUint8ToInt8(exposed.b.model.graph)).toBe(0);
    expect(exposed.conv.producer?.inputs[7]?.name).toBe('cz');

    const cast = u8s8();
    cast.b.output(cast.b.op('Cast', [cast.conv], { to: { kind: 'int', value: 1n } }));
    inferShapes(cast.b.model);
    expect(shiftUint8ToInt8(cast.b.model.graph)).toBe(0);

    const plain = u8s8();
    inferShapes(plain.b.model);
    expect(shiftUint8ToInt8(plain.b.model.graph)).toBe(4);
    expect(plain.conv.type?.kind === 'tensor' && plain.conv.type.dtype).toBe('int8');
    expect(plain.conv.producer?.inputs[7]?.initializer?.dtype).toBe('int8');
  });
});
