import { describe, expect, it } from 'vitest';
import { readTflite, sniffTflite, writeTflite } from '../../../../src/engine/formats/tflite';
import { BuiltinOperator } from '../../../../src/engine/formats/tflite/generated/tflite/builtin-operator';
import { BuiltinOptions } from '../../../../src/engine/formats/tflite/generated/tflite/builtin-options';
import { ReshapeOptionsT } from '../../../../src/engine/formats/tflite/generated/tflite/reshape-options';
import { TensorType } from '../../../../src/engine/formats/tflite/generated/tflite/tensor-type';
import type { TfliteModel } from '../../../../src/engine/formats/tflite/tflite-model';
import {
  SENTINEL, addModel, bufferOf, builtinCode, fullyConnectedModel, operator, singleGraphModel, tensor,
} from '../../helpers/tflite-builders';

function kitchenSink(): TfliteModel {
  const model = singleGraphModel({
    tensors: [
      tensor('x', [1, 2, 2, 3], TensorType.INT8, { quantization: { min: null, max: null, scale: [0.5], zeroPoint: [-3n], quantizedDimension: 0, custom: null } }),
      tensor('w', [2, 1, 1, 3], TensorType.INT8, {
        buffer: 1,
        quantization: { min: [-1, -2], max: [1, 2], scale: [0.25, 0.125], zeroPoint: [0n, 0n], quantizedDimension: 3, custom: null },
      }),
      tensor('sparse', [4, 4], TensorType.FLOAT32, {
        buffer: 2,
        sparsity: {
          traversalOrder: [0, 1], blockMap: null,
          dimMetadata: [
            { format: 0, denseSize: 4, arraySegments: null, arrayIndices: null },
            { format: 1, denseSize: 0, arraySegments: { kind: 'uint8', values: [0, 1, 1, 2, 2] }, arrayIndices: { kind: 'uint16', values: [0, 3] } },
          ],
        },
      }),
      tensor('shape', [2], TensorType.INT32, { buffer: 3, shapeSignature: [-1, 4], hasRank: true }),
      tensor('y', [4, 3], TensorType.INT8, { quantization: { min: null, max: null, scale: null, zeroPoint: null, quantizedDimension: 0, custom: new Uint8Array([1, 2, 3]) } }),
      tensor('empty', [], TensorType.FLOAT32, { buffer: 4 }),
    ],
    operators: [
      operator(0, [0, 3], [4], { builtinOptions: { type: BuiltinOptions.ReshapeOptions, table: new ReshapeOptionsT(), absentVectors: ['newShape'] } }),
      operator(1, [4, -1], [5], { customOptions: new Uint8Array([9, 8, 7, 6]), intermediates: [2], mutatingVariableInputs: [false, true] }),
      operator(2, [5], [1]),
    ],
    inputs: [0],
    outputs: [5],
    codes: [builtinCode(BuiltinOperator.RESHAPE), { code: 32, builtinCode: 32, deprecatedBuiltinCode: 32, customCode: 'MyCustomOp', version: 2 }, builtinCode(BuiltinOperator.GELU)],
    buffers: [SENTINEL, bufferOf(new Int8Array([1, -2, 3, -4, 5, -6])), bufferOf(new Float32Array([1, 2])), bufferOf(new Int32Array([4, 3])), { data: new Uint8Array(0), external: false }, bufferOf(new Uint8Array([42]))],
  });
  model.metadata = [{ name: 'min_runtime_version', buffer: 5 }];
  model.metadataBuffer = [5];
  model.signatureDefs = [{ signatureKey: 'serving_default', inputs: [{ name: 'input', tensorIndex: 0 }], outputs: [{ name: 'output', tensorIndex: 5 }], subgraphIndex: 0, deprecatedTag: null }];
  return model;
}

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
    expect(again.buffers[0].data).toBeNull();
    expect(again.buffers[4].data).toEqual(new Uint8Array(0));
  });

  it('does not invent a new_shape vector for RESHAPE', () => {
    const again = readTflite(writeTflite(kitchenSink()));
    expect(again.subgraphs[0].operators[0].builtinOptions?.absentVectors).toEqual(['newShape']);
  });

  it('resolves builtin codes above 127 from builtin_code, and old files from the legacy byte', () => {
    const again = readTflite(writeTflite(kitchenSink()));
    expect(again.operatorCodes[2].code).toBe(BuiltinOperator.GELU);
    expect(again.operatorCodes[2].deprecatedBuiltinCode).toBe(127);
    const legacy = addModel();
    legacy.operatorCodes = [{ code: 0, builtinCode: 0, deprecatedBuiltinCode: BuiltinOperator.MUL, customCode: null, version: 1 }];
    expect(readTflite(writeTflite(legacy)).operatorCodes[0].code).toBe(BuiltinOperator.MUL);
  });

  it('writes buffers with 16-byte aligned data', () => {
    const bytes = writeTflite(fullyConnectedModel([[1, 2], [3, 4]], [0.5, -0.5]));
    const model = readTflite(bytes);
    for (const buffer of model.buffers) if (buffer.data?.length) expect((buffer.data.byteOffset - bytes.byteOffset) % 16).toBe(0);
  });

  it('stores buffers and custom options outside the flatbuffer when they were, and reads them back', () => {
    const model = kitchenSink();
    model.buffers[1] = { ...model.buffers[1], external: true };
    model.subgraphs[0].operators[1].customOptionsExternal = true;
    const bytes = writeTflite(model);
    const again = readTflite(bytes);
    expect(again).toEqual(model);
    expect((again.buffers[1].data!.byteOffset - bytes.byteOffset) % 16).toBe(0);
    const inline = readTflite(writeTflite(model, { externalBuffers: false }));
    expect(inline.buffers[1].external).toBe(false);
    expect(inline.buffers[1].data).toEqual(model.buffers[1].data);
  });

  it('is deterministic', () => {
    expect(writeTflite(kitchenSink())).toEqual(writeTflite(kitchenSink()));
  });
});
