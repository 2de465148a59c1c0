import { describe, expect, it } from 'vitest';
import { estimateRam } from '../../../src/engine/compress/size/ram-estimate';
import { declaredTensor, deployedActivationMemory } from '../../../src/engine/devices/deployed-memory';
import { intAttr, intsAttr } from '../../../src/engine/passes/util/attributes';
import { TinyGraph } from '../train/tiny-graphs';

/** Conv 1→8 on 16×16 → Relu → Flatten → Gemm to 10: the Relu fuses into the convolution, the Flatten reuses its buffer. */
function convRelu(): TinyGraph {
  const b = new TinyGraph('float32', 13, 3);
  const x = b.input('image', [1, 1, 16, 16]);
  const pads = { pads: intsAttr([1, 1, 1, 1]) };
  const conv = b.op('Relu', [b.op('Conv', [x, b.weight('c1.w', [8, 1, 3, 3]), b.weight('c1.b', [8])], pads)]);
  const flat = b.op('Flatten', [conv], { axis: intAttr(1) });
  const logits = b.op('Gemm', [flat, b.weight('fc.w', [10, 2048]), b.weight('fc.b', [10])], { transB: intAttr(1) });
  logits.type = { kind: 'tensor', dtype: 'float32', shape: [1, 10] };
  return b.output(logits);
}

// Issue 14: the size report's run-time memory and the device estimates count activations one way.
describe("the size report's activation memory", () => {
  it('is the deployed peak the device estimates use, not the largest sum of one operation', () => {
    const { model, graph } = convRelu();
    const ram = estimateRam(model);
    const deployed = deployedActivationMemory(graph, (value) => declaredTensor(value));
    expect(deployed.unsized).toBe(0);
    expect(ram.peakActivationBytes).toBe(deployed.peakActivationBytes);
    // At the Conv: the image (1 KB) and its output (8 KB), which the Relu and the Flatten reuse. The largest
    // sum of one operation's inputs and outputs (the Relu's 8 + 8 KB) was the old, higher figure.
    expect(ram.peakActivationBytes).toBe(256 * 4 + 2048 * 4);
    expect(ram.weightBytes).toBe((8 * 9 + 8 + 10 * 2048 + 10) * 4);
  });
});
