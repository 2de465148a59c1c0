import { describe, expect, it } from 'vitest';
import { dynamicInt8 } from '../../../src/engine/quantize/dynamic-int8';
import { staticInt8 } from '../../../src/engine/quantize/static-int8';
import { QUANTIZATION_TOLERANCE } from '../../../src/engine/quantize/tolerance';
import { createVerifier } from '../../../src/engine/verify/verifier';
import { GraphBuilder } from '../passes/graph-builder';
import { bytesOf } from './tiny-models';

// token ids → embedding table [VOCAB, WIDTH] → MatMul head: a text classifier's first and last layers.
const VOCAB = 300;
const WIDTH = 24;

function textModel(): GraphBuilder {
  const b = new GraphBuilder(13);
  const ids = b.input('tokens', [1, 7], 'int64');
  const rows = b.op('Gather', [b.weight('embedding', [VOCAB, WIDTH]), ids]);
  b.output(b.op('MatMul', [rows, b.weight('head', [WIDTH, 5])]), [1, 7, 5]);
  return b;
}

describe('int8 embedding tables', () => {
  it('stores a token table in int8 with a scale per row and gathers before widening', async () => {
    const b = textModel();
    const original = bytesOf(b);
    const result = await dynamicInt8.run(b.model, dynamicInt8.options.parse({}), {});
    expect(result.stats.layersQuantized).toBe(2);
    const ops = b.model.graph.nodes.map((n) => n.opType);
    expect(ops.filter((op) => op === 'Gather')).toHaveLength(2);
    expect(ops).not.toContain('DequantizeLinear');
    const table = b.model.graph.initializers.find((t) => t.dims.join() === `${VOCAB},${WIDTH}`);
    expect(table?.dtype).toBe('int8');
    const quantized = bytesOf(b);
    expect(quantized.length).toBeLessThan(original.length / 3);
    const verifier = await createVerifier(original, 'onnx', { samples: 3 });
    try {
      const verification = await verifier.verify(quantized, 'onnx', QUANTIZATION_TOLERANCE);
      expect(verification.passed).toBe(true);
      expect(verification.worst.cosine).toBeGreaterThan(0.999);
    } finally {
      await verifier.dispose();
    }
  });

  it('int8-static stores the table in int8 rows too', async () => {
    const b = textModel();
    const result = await staticInt8.run(b.model, staticInt8.options.parse({ samples: 4 }), {});
    expect(result.changed).toBe(true);
    expect(result.notes?.join(' ')).toMatch(/1 embedding table\(s\) stored in int8/);
    const table = b.model.graph.initializers.find((t) => t.dims.join() === `${VOCAB},${WIDTH}`);
    expect(table?.dtype).toBe('int8');
  });

  it('leaves small tables and column gathers in float, and says why', async () => {
    const b = new GraphBuilder(13);
    const ids = b.input('i', [2], 'int64');
    b.output(b.op('Gather', [b.weight('small', [4, 8]), ids]), [2, 8]);
    b.output(b.op('Gather', [b.weight('wide', [64, 64]), ids], { axis: { kind: 'int', value: 1n } }), [64, 2]);
    const result = await dynamicInt8.run(b.model, dynamicInt8.options.parse({}), {});
    expect(result.stats.layersQuantized).toBe(0);
    expect(result.skipped?.map((s) => s.reason)).toEqual([expect.stringMatching(/fewer than 1024/), expect.stringMatching(/columns/)]);
  });
});
