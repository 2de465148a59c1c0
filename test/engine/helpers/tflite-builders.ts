import { AddOptionsT } from '../../../src/engine/formats/tflite/generated/tflite/add-options';
import { BuiltinOptions } from '../../../src/engine/formats/tflite/generated/tflite/builtin-options';
import { BuiltinOperator } from '../../../src/engine/formats/tflite/generated/tflite/builtin-operator';
import { ReshapeOptionsT } from '../../../src/engine/formats/tflite/generated/tflite/reshape-options';
import { FullyConnectedOptionsT } from '../../../src/engine/formats/tflite/generated/tflite/fully-connected-options';
import { TensorType } from '../../../src/engine/formats/tflite/generated/tflite/tensor-type';
import type {
  TfliteBuffer, TfliteModel, TfliteOperator, TfliteOperatorCode, TfliteTensor,
} from '../../../src/engine/formats/tflite/tflite-model';

/** A tensor with defaults for everything not given. */
export function tensor(name: string, shape: number[], type: number = TensorType.FLOAT32, extra: Partial<TfliteTensor> = {}): TfliteTensor {
  return {
    name, shape, type, buffer: 0, quantization: null, sparsity: null, isVariable: false,
    shapeSignature: null, hasRank: false, variantTensors: null, ...extra,
  };
}

/** An operator code for a builtin op, filling the legacy byte field the way TFLite's converter does. */
export function builtinCode(code: number, version = 1): TfliteOperatorCode {
  return { code, builtinCode: code, deprecatedBuiltinCode: Math.min(code, BuiltinOperator.PLACEHOLDER_FOR_GREATER_OP_CODES), customCode: null, version };
}

/** An operator with defaults for everything not given. */
export function operator(opcodeIndex: number, inputs: number[], outputs: number[], extra: Partial<TfliteOperator> = {}): TfliteOperator {
  return {
    opcodeIndex, inputs, outputs, builtinOptions: null, builtinOptions2: null, customOptions: null,
    customOptionsExternal: false, customOptionsFormat: 0, mutatingVariableInputs: null, intermediates: null,
    debugMetadataIndex: -1, ...extra,
  };
}

/** A buffer holding the bytes of a typed array. */
export function bufferOf(values: Float32Array | Int32Array | Int8Array | Uint8Array | null, external = false): TfliteBuffer {
  return { data: values ? new Uint8Array(values.buffer, values.byteOffset, values.byteLength) : null, external };
}

/** The empty buffer every model starts with (buffer 0). */
export const SENTINEL: TfliteBuffer = { data: null, external: false };

/** A one-subgraph model around the given tensors and operators. */
export function singleGraphModel(parts: {
  tensors: TfliteTensor[];
  operators: TfliteOperator[];
  inputs: number[];
  outputs: number[];
  codes: TfliteOperatorCode[];
  buffers?: TfliteBuffer[];
}): TfliteModel {
  return {
    version: 3,
    description: 'built by a Lithe test',
    operatorCodes: parts.codes,
    subgraphs: [{ name: 'main', tensors: parts.tensors, inputs: parts.inputs, outputs: parts.outputs, operators: parts.operators, debugMetadataIndex: -1 }],
    buffers: parts.buffers ?? [SENTINEL],
    metadataBuffer: null,
    metadata: null,
    signatureDefs: null,
  };
}

/** y = a + b on float32[shape]. */
export function addModel(shape = [1, 4]): TfliteModel {
  return singleGraphModel({
    tensors: [tensor('a', shape), tensor('b', shape), tensor('y', shape)],
    operators: [operator(0, [0, 1], [2], {
      builtinOptions: { type: BuiltinOptions.AddOptions, table: new AddOptionsT(), absentVectors: [] },
    })],
    inputs: [0, 1],
    outputs: [2],
    codes: [builtinCode(BuiltinOperator.ADD)],
  });
}

/** y = relu(x · Wᵀ + bias) with constant weights: float32[1,in] → float32[1,out]. */
export function fullyConnectedModel(weights: number[][], bias: number[]): TfliteModel {
  const out = weights.length;
  const inp = weights[0].length;
  return singleGraphModel({
    tensors: [
      tensor('x', [1, inp]),
      tensor('w', [out, inp], TensorType.FLOAT32, { buffer: 1 }),
      tensor('bias', [out], TensorType.FLOAT32, { buffer: 2 }),
      tensor('y', [1, out]),
    ],
    operators: [operator(0, [0, 1, 2], [3], {
      builtinOptions: { type: BuiltinOptions.FullyConnectedOptions, table: new FullyConnectedOptionsT(1), absentVectors: [] },
    })],
    inputs: [0],
    outputs: [3],
    codes: [builtinCode(BuiltinOperator.FULLY_CONNECTED)],
    buffers: [SENTINEL, bufferOf(new Float32Array(weights.flat())), bufferOf(new Float32Array(bias)), SENTINEL],
  });
}

/** A model using most of the schema: quantization (per-tensor, per-channel, custom), sparsity, signatures, metadata, a custom op, empty and absent buffers. */
export function kitchenSinkModel(): TfliteModel {
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
