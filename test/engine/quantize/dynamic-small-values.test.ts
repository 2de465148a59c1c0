import { describe, expect, it } from 'vitest';
import { floatTensor } from '../../../src/engine/passes/util/constants';
import { dynamicInt8 } from '../../../src/engine/quantize/dynamic-int8';
import { createVerifier } from '../../../src/engine/verify/verifier';
import { INT8_TOLERANCE } from '../../../src/engine/verify/tolerance';
import { GraphBuilder, opTypes } from '../passes/graph-builder';
import { bytesOf } from './tiny-models';

// A mel spectrogram in decibels, as a wake-word front end computes it: power = x², a filterbank MatMul, then
// Clip(1e-10) and Log. The power spans many decades; rounding it to 8 bits on the fly (integer MatMul) makes all but
// the loudest bins 0, and the Log of those is the floor. The MatMul must keep its float input.
function melModel(withLog: boolean): GraphBuilder {
  const b = new GraphBuilder(13);
  const x = b.input('x', [1, 64]);
  // Magnitudes from 1 down to 1e-4, so the power spans eight decades.
  const gain = b.weight(
    'gain',
    [1, 64],
    Array.from({ length: 64 }, (_, i) => 10 ** (-4 * (i / 63))),
  );
  const power = b.op('Mul', [b.op('Mul', [x, gain]), b.op('Mul', [x, gain])]);
  const mel = b.op(
    'MatMul',
    [
      power,
      b.weight(
        'melW',
        [64, 16],
        Array.from({ length: 64 * 16 }, (_, i) => (Math.floor(i / 16) % 16 === i % 16 ? 1 : 0.01)),
      ),
    ],
    {},
    'mel',
  );
  if (!withLog) return b.output(mel, [1, 16]);
  const floor = b.initializer(floatTensor('floor', [], [1e-10]));
  return b.output(b.op('Log', [b.op('Clip', [mel, floor])], {}, 'db'), [1, 16]);
}

describe('dynamic int8 and layers whose small values matter', () => {
  it('keeps a float input (int8 weights only) for a MatMul whose result goes into a Log, says so, and stays close', async () => {
    const b = melModel(true);
    const original = bytesOf(b);
    const result = await dynamicInt8.run(b.model, dynamicInt8.options.parse({}), {});
    expect(result.stats.layersQuantized).toBe(1);
    expect(opTypes(b.model)).not.toContain('DynamicQuantizeLinear');
    expect(opTypes(b.model)).toContain('DequantizeLinear');
    expect(result.notes).toContain(
      'MatMul_4 keeps a float input with int8 weights: its result goes into a Log, which needs the small values an 8-bit input would round to 0.',
    );
    const verifier = await createVerifier(original, 'onnx');
    const verification = await verifier.verify(bytesOf(b), 'onnx', INT8_TOLERANCE);
    await verifier.dispose();
    expect(verification.passed).toBe(true);
  });

  it('still quantizes the input of the same MatMul when nothing needs its small values', async () => {
    const b = melModel(false);
    await dynamicInt8.run(b.model, dynamicInt8.options.parse({}), {});
    expect(opTypes(b.model)).toContain('DynamicQuantizeLinear');
    expect(opTypes(b.model)).toContain('MatMulInteger');
  });
});
