import { describe, expect, it } from 'vitest';
import { decodeOnnx } from '../../../src/engine/formats/onnx';
import { weightShortfall } from '../../../src/engine/optimize/recipe-promise';
import { float16Weights } from '../../../src/engine/quantize/onnx/float16-convert';
import { encode, FLOAT, floatTensor, graph, model, node, valueInfo } from '../helpers/onnx-builders';

// `mixed` may keep every layer in float to hold its target, then store those weights as float16: the shortfall said
// "left 100 % of the weights as they were" beside a note saying they are stored in float16.
const TITLE = 'Quantize to int8, keeping sensitive layers in float';

/** x[N,8] → MatMul W1[8,8] → MatMul W2[8,8]: two float32 weights of 64 values each. */
function twoLayers(): Uint8Array {
  const w = Array.from({ length: 64 }, (_, i) => (i % 9) / 10 - 0.4);
  return encode(
    model(
      graph({
        node: [node('MatMul', ['x', 'W1'], ['h'], [], 'mm1'), node('MatMul', ['h', 'W2'], ['y'], [], 'mm2')],
        initializer: [floatTensor('W1', [8, 8], w), floatTensor('W2', [8, 8], w)],
        input: [valueInfo('x', FLOAT, ['N', 8])],
        output: [valueInfo('y', FLOAT, ['N', 8])],
      }),
    ),
  );
}

describe('weight shortfall words', () => {
  const bytes = twoLayers();
  const shortfall = (convert: (name: string) => boolean): string | undefined => {
    const after = decodeOnnx(bytes);
    float16Weights(after, 16, (value) => convert(value.name));
    return weightShortfall('quantize-mixed', TITLE, decodeOnnx(bytes), after);
  };

  it('says weights left untouched are as they were', () => {
    expect(shortfall(() => false)).toBe(`${TITLE} left 100 % of the weights as they were instead of in 8 bits`);
  });

  it('says weights stored as float16 are in float16, not as they were', () => {
    expect(shortfall(() => true)).toBe(`${TITLE} left 100 % of the weights in float instead of in 8 bits (100 % stored as float16)`);
    expect(shortfall((name) => name === 'W1')).toBe(
      `${TITLE} left 100 % of the weights in float instead of in 8 bits (50 % stored as float16, 50 % as they were)`,
    );
  });

  it('still holds the fp16 step to its own promise', () => {
    const after = decodeOnnx(bytes);
    float16Weights(after, 16);
    expect(weightShortfall('quantize-fp16', 'Store weights in float16', decodeOnnx(bytes), after)).toBeUndefined();
    expect(weightShortfall('quantize-fp16', 'Store weights in float16', decodeOnnx(bytes), decodeOnnx(bytes))).toBe(
      'Store weights in float16 left 100 % of the weights as they were instead of in float16',
    );
  });
});
