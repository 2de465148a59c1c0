import { describe, expect, it } from 'vitest';
import { readTflite, sniffTflite, writeTflite } from '../../../../src/engine/formats/tflite';
import { BuiltinOperator } from '../../../../src/engine/formats/tflite/generated/tflite/builtin-operator';
import { addModel, fullyConnectedModel, kitchenSinkModel as kitchenSink } from '../../helpers/tflite-builders';
import { at } from '../../../helpers/at';

describe('TFLite codec round trip', () => {
  it('sniffs the TFL3 identifier', () => {
    expect(sniffTflite(writeTflite(addModel()))).toBe(true);
    expect(sniffTflite(new Uint8Array([8, 0, 0, 0, 0x4f, 0x4e, 0x4e, 0x58]))).toBe(false);
    expect(sniffTflite(new Uint8Array(3))).toBe(false);
  });

  it('keeps every field of a model using most of the schema', () => {
    const model = kitchenSink();
    const again = readTflite(writeTflite(model));
    expect(again).toEqual(model);
  });

  it('keeps an absent buffer absent and an empty one empty', () => {
    const again = readTflite(writeTflite(kitchenSink()));
    expect(at(again.buffers, 0).data).toBeNull();
    expect(at(again.buffers, 4).data).toEqual(new Uint8Array(0));
  });

  it('does not invent a new_shape vector for RESHAPE', () => {
    const again = readTflite(writeTflite(kitchenSink()));
    expect(at(at(again.subgraphs, 0).operators, 0).builtinOptions?.absentVectors).toEqual(['newShape']);
  });

  it('resolves builtin codes above 127 from builtin_code, and old files from the legacy byte', () => {
    const again = readTflite(writeTflite(kitchenSink()));
    expect(at(again.operatorCodes, 2).code).toBe(BuiltinOperator.GELU);
    expect(at(again.operatorCodes, 2).deprecatedBuiltinCode).toBe(127);
    const legacy = addModel();
    legacy.operatorCodes = [{ code: 0, builtinCode: 0, deprecatedBuiltinCode: BuiltinOperator.MUL, customCode: null, version: 1 }];
    expect(at(readTflite(writeTflite(legacy)).operatorCodes, 0).code).toBe(BuiltinOperator.MUL);
  });

  it('writes buffers with 16-byte aligned data', () => {
    const bytes = writeTflite(
      fullyConnectedModel(
        [
          [1, 2],
          [3, 4],
        ],
        [0.5, -0.5],
      ),
    );
    const model = readTflite(bytes);
    for (const buffer of model.buffers) if (buffer.data?.length) expect((buffer.data.byteOffset - bytes.byteOffset) % 16).toBe(0);
  });

  it('stores buffers and custom options outside the flatbuffer when they were, and reads them back', () => {
    const model = kitchenSink();
    model.buffers[1] = { ...at(model.buffers, 1), external: true };
    at(at(model.subgraphs, 0).operators, 1).customOptionsExternal = true;
    const bytes = writeTflite(model);
    const again = readTflite(bytes);
    expect(again).toEqual(model);
    expect((at(again.buffers, 1).data!.byteOffset - bytes.byteOffset) % 16).toBe(0);
    const inline = readTflite(writeTflite(model, { externalBuffers: false }));
    expect(at(inline.buffers, 1).external).toBe(false);
    expect(at(inline.buffers, 1).data).toEqual(at(model.buffers, 1).data);
  });

  it('is deterministic', () => {
    expect(writeTflite(kitchenSink())).toEqual(writeTflite(kitchenSink()));
  });
});
