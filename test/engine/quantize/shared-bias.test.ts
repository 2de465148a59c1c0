import { describe, expect, it } from 'vitest';
import { decodeOnnx } from '../../../src/engine/formats/onnx';
import { intAttr } from '../../../src/engine/quantize/onnx/graph-edit';
import { staticInt8 } from '../../../src/engine/quantize/static-int8';
import { createOrtRunner } from '../../../src/engine/verify/ort-runner';
import { GraphBuilder } from '../passes/graph-builder';
import { bytesOf, syntheticData } from './tiny-models';

// Exporters merge identical initializers: every zero-initialized bias of a model can end up as one
// tensor read by many layers. Each layer's quantized bias has its own scale, so it gets its own
// DequantizeLinear — and the written model must still have unique node names.
function sharedBiasMlp(): GraphBuilder {
  const b = new GraphBuilder(13);
  const x = b.input('x', ['N', 16]);
  const bias = b.weight('shared_bias', [16]);
  const transB = { transB: intAttr('transB', 1).value };
  const h = b.op('Relu', [b.op('Gemm', [x, b.weight('w1', [16, 16]), bias], transB, 'fc1')]);
  const y = b.op('Gemm', [h, b.weight('w2', [16, 16]), bias], transB, 'fc2');
  b.output(y, ['N', 16]);
  return b;
}

describe('static int8 of layers sharing one bias', () => {
  it('writes a model onnxruntime loads, with unique node names', async () => {
    const b = sharedBiasMlp();
    await staticInt8.run(b.model, staticInt8.options.parse({ calibration: 'minmax' }), { data: syntheticData([16], 32) });
    const bytes = bytesOf(b);
    const names = decodeOnnx(bytes)
      .graph.nodes.map((n) => n.name)
      .filter((n) => n !== '');
    expect(new Set(names).size).toBe(names.length);
    expect(decodeOnnx(bytes).graph.nodes.filter((n) => n.opType === 'DequantizeLinear').length).toBeGreaterThanOrEqual(4);
    const runner = await createOrtRunner(bytes, { role: 'candidate' });
    await runner.dispose();
  });
});
