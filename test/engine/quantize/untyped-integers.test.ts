import { describe, expect, it } from 'vitest';
import { encodeOnnx } from '../../../src/engine/formats/onnx';
import { staticInt8 } from '../../../src/engine/quantize/static-int8';
import { createOrtRunner } from '../../../src/engine/verify/ort-runner';
import { GraphBuilder } from '../passes/graph-builder';

/**
 * x → Einsum (a value whose type Lithe cannot infer) → Resize to twice its height and width, the sizes computed from
 * Shape → Slice → Mul → Concat (int64 values that carry no declared type, as in tf2onnx exports like M-LSD) → Conv.
 */
function resizeBySizes(): GraphBuilder {
  const b = new GraphBuilder(13);
  const x = b.input('x', [1, 4, 8, 8]);
  const e = b.op('Einsum', [x], { equation: { kind: 'string', value: new TextEncoder().encode('nchw->nchw') } }, 'e');
  const hw = b.op('Slice', [b.op('Shape', [e], {}, 'shape'), b.ints('start', [2]), b.ints('end', [4])], {}, 'hw');
  const doubled = b.op('Mul', [hw, b.ints('two', [2, 2])], {}, 'doubled');
  const sizes = b.op('Concat', [b.ints('nc', [1, 4]), doubled], { axis: { kind: 'int', value: 0n } }, 'sizes');
  const up = b.op('Resize', [e, undefined, undefined, sizes], {}, 'up');
  return b.output(b.op('Conv', [up, b.weight('w', [2, 4, 3, 3])], {}, 'y'), [1, 2, 14, 14]);
}

describe('static int8 with values of unknown type', () => {
  it('quantizes the untyped float values calibration saw, never the untyped int64 ones', async () => {
    const { model } = resizeBySizes();
    const r = await staticInt8.run(model, staticInt8.options.parse({}), {});
    expect(r.changed).toBe(true);
    const quantized = model.graph.nodes.filter((n) => n.opType === 'QuantizeLinear').map((n) => n.inputs[0]?.name);
    expect(quantized).toContain('e');
    expect(quantized).not.toContain('hw');
    expect(quantized).not.toContain('doubled');
    // onnxruntime loads and runs it.
    const runner = await createOrtRunner(encodeOnnx(model), { role: 'the quantized model' });
    try {
      expect((await runner.run(runner.sampleFeeds(1)))[0]?.dims).toEqual([1, 2, 14, 14]);
    } finally {
      await runner.dispose();
    }
  }, 60_000);
});
