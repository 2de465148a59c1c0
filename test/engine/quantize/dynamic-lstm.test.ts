import { describe, expect, it } from 'vitest';
import { dynamicInt8 } from '../../../src/engine/quantize/dynamic-int8';
import { createVerifier } from '../../../src/engine/verify/verifier';
import { QUANTIZATION_TOLERANCE } from '../../../src/engine/quantize/tolerance';
import { GraphBuilder } from '../passes/graph-builder';
import { int, str } from '../formats/tflite/from-onnx/attrs';
import { bytesOf } from './tiny-models';

const H = 16;
const INPUT = 12;

// x[T, 1, INPUT] → LSTM (one or both directions) → y, the form PyTorch exports nn.LSTM in.
function lstmModel(direction: 'forward' | 'bidirectional'): GraphBuilder {
  const dirs = direction === 'bidirectional' ? 2 : 1;
  const b = new GraphBuilder(14);
  const x = b.input('x', [10, 1, INPUT]);
  const [y] = b.opN('LSTM', [x, b.weight('W', [dirs, 4 * H, INPUT]), b.weight('R', [dirs, 4 * H, H]), b.weight('B', [dirs, 8 * H])], 1, {
    hidden_size: int(H),
    direction: str(direction),
  });
  if (!y) throw new Error('LSTM output');
  return b.output(y, [10, dirs, 1, H]);
}

describe('dynamic int8 of LSTM layers', () => {
  for (const direction of ['forward', 'bidirectional'] as const)
    it(`stores a ${direction} LSTM's weights in int8 as DynamicQuantizeLSTM, which onnxruntime runs close to the float layer`, async () => {
      const b = lstmModel(direction);
      const original = bytesOf(b);
      const result = await dynamicInt8.run(b.model, dynamicInt8.options.parse({}), {});
      expect(result.stats.layersQuantized).toBe(1);
      expect(result.skipped ?? []).toEqual([]);
      expect(b.model.graph.nodes.map((n) => n.opType)).toEqual(['DynamicQuantizeLSTM']);
      expect(b.model.opsets.some((o) => o.domain === 'com.microsoft')).toBe(true);
      const quantized = bytesOf(b);
      expect(quantized.length).toBeLessThan(original.length / 2);
      const verifier = await createVerifier(original, 'onnx', { samples: 3 });
      try {
        const verification = await verifier.verify(quantized, 'onnx', QUANTIZATION_TOLERANCE);
        expect(verification.passed).toBe(true);
        expect(verification.worst.cosine).toBeGreaterThan(0.999);
      } finally {
        await verifier.dispose();
      }
    });

  it('says why a batch-first LSTM stays float', async () => {
    const b = new GraphBuilder(14);
    const x = b.input('x', [1, 10, INPUT]);
    const [y] = b.opN('LSTM', [x, b.weight('W', [1, 4 * H, INPUT]), b.weight('R', [1, 4 * H, H])], 1, {
      hidden_size: int(H),
      layout: int(1),
    });
    if (!y) throw new Error('LSTM output');
    b.output(y);
    const result = await dynamicInt8.run(b.model, dynamicInt8.options.parse({}), {});
    expect(result.stats.layersQuantized).toBe(0);
    expect(result.skipped?.[0]?.reason).toMatch(/layout 1/);
  });
});
