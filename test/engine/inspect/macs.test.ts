import { describe, expect, it } from 'vitest';
import { Graph, Node, Tensor, Value } from '../../../src/engine/ir';
import { estimateMacs } from '../../../src/engine/inspect';

function tensorValue(g: Graph, name: string, shape: (number | string)[]): Value {
  return g.define(new Value(name, { kind: 'tensor', dtype: 'float32', shape }));
}

describe('estimateMacs', () => {
  it('counts ONNX LSTM from its weights and sequence', () => {
    const g = new Graph();
    const x = tensorValue(g, 'x', [28, 'B', 16]);
    const w = g.addInitializer(new Tensor('W', 'float32', [1, 4 * 20, 16], new Uint8Array(1 * 80 * 16 * 4)));
    const r = g.addInitializer(new Tensor('R', 'float32', [1, 80, 20], new Uint8Array(80 * 20 * 4)));
    g.addNodes([
      new Node('LSTM', [x, w, r], [tensorValue(g, 'y', [28, 1, 'B', 20])], {
        attributes: [{ name: 'hidden_size', value: { kind: 'int', value: 20n } }],
      }),
    ]);
    const est = estimateMacs(g);
    expect(est.byOp).toEqual({ LSTM: 28 * 1 * 80 * (16 + 20) });
    expect(est.notes.join()).toMatch(/B/);
  });

  it('counts TFLite convolutions and fully connected layers (NHWC, OHWI)', () => {
    const g = new Graph();
    const x = tensorValue(g, 'x', [1, 8, 8, 3]);
    const w = tensorValue(g, 'w', [16, 3, 3, 3]);
    const c = tensorValue(g, 'c', [1, 8, 8, 16]);
    const dw = tensorValue(g, 'dw', [1, 3, 3, 16]);
    const d = tensorValue(g, 'd', [1, 8, 8, 16]);
    const fw = tensorValue(g, 'fw', [10, 1024]);
    const y = tensorValue(g, 'y', [1, 10]);
    g.addNodes([
      new Node('CONV_2D', [x, w], [c], { domain: 'tflite' }),
      new Node('DEPTHWISE_CONV_2D', [c, dw], [d], { domain: 'tflite' }),
      new Node('FULLY_CONNECTED', [d, fw], [y], { domain: 'tflite' }),
    ]);
    expect(estimateMacs(g).byOp).toEqual({ CONV_2D: 64 * 16 * 27, DEPTHWISE_CONV_2D: 64 * 16 * 9, FULLY_CONNECTED: 10 * 1024 });
  });
});
