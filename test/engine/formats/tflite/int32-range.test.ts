import { describe, expect, it } from 'vitest';
import { decodeOnnx } from '../../../../src/engine/formats/onnx';
import { convertOnnxToTflite, encodeTflite } from '../../../../src/engine/formats/tflite';
import { TfliteEmitter } from '../../../../src/engine/formats/tflite/convert/tflite-emitter';
import { CannotConvert } from '../../../../src/engine/formats/tflite/convert/unconvertible';
import { encode, graph, model, node, valueInfo } from '../../helpers/onnx-builders';

const FLOAT = 1;

// TFLite stores dimensions and shape constants as int32: a wider one must be refused by name,
// never wrapped (2^31 → −2^31, 2^40 → 0) into a model that says something else.
const toTflite = async (bytes: Uint8Array): Promise<Uint8Array> => encodeTflite(await convertOnnxToTflite(decodeOnnx(bytes)));

describe('TFLite int32 range', () => {
  for (const dim of [2 ** 31, 2 ** 40]) {
    it(`refuses a dimension of ${dim} instead of wrapping it`, async () => {
      const bytes = encode(
        model(
          graph({
            input: [valueInfo('x', FLOAT, [dim])],
            output: [valueInfo('y', FLOAT, [dim])],
            node: [node('Relu', ['x'], ['y'])],
          }),
        ),
      );
      await expect(toTflite(bytes)).rejects.toThrow(new RegExp(`'[xy]' has a dimension of ${dim}.*32-bit`));
    });
  }

  it('refuses an int32 constant an op translation would need beyond that range', () => {
    expect(() => new TfliteEmitter().int32([2, 2 ** 40])).toThrow(CannotConvert);
    expect(() => new TfliteEmitter().int32([2 ** 31])).toThrow(/2147483648, which does not fit TFLite's 32-bit integers/);
    expect(() => new TfliteEmitter().int32([-(2 ** 31), 2 ** 31 - 1])).not.toThrow();
  });

  it('still writes dimensions up to 2^31 − 1', async () => {
    const bytes = encode(
      model(graph({ input: [valueInfo('x', FLOAT, [1, 4])], output: [valueInfo('y', FLOAT, [1, 4])], node: [node('Relu', ['x'], ['y'])] })),
    );
    expect((await toTflite(bytes)).byteLength).toBeGreaterThan(0);
  });
});
