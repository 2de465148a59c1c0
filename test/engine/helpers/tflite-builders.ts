import { AddOptionsT } from '../../../src/engine/formats/tflite/generated/tflite/add-options';
import { BuiltinOptions } from '../../../src/engine/formats/tflite/generated/tflite/builtin-options';
import { BuiltinOperator } from '../../../src/engine/formats/tflite/generated/tflite/builtin-operator';
import { ReshapeOptionsT } from '../../../src/engine/formats/tflite/generated/tflite/reshape-options';
import { Conv2DOptionsT } from '../../../src/engine/formats/tflite/generated/tflite/conv2doptions';
import { DepthwiseConv2DOptionsT } from '../../../src/engine/formats/tflite/generated/tflite/depthwise-conv2doptions';
import { Pool2DOptionsT } from '../../../src/engine/formats/tflite/generated/tflite/pool2doptions';
import { SoftmaxOptionsT } from '../../../src/engine/formats/tflite/generated/tflite/softmax-options';
import { FullyConnectedOptionsT } from '../../../src/engine/formats/tflite/generated/tflite/fully-connected-options';
import { TensorType } from '../../../src/engine/formats/tflite/generated/tflite/tensor-type';
import type {
  TfliteBuffer,
  TfliteModel,
  TfliteOperator,
  TfliteOperatorCode,
  TfliteQuantization,
  TfliteTensor,
} from '../../../src/engine/formats/tflite/tflite-model';
import { at } from '../../helpers/at';

/** A tensor with defaults for everything not given. */
export function tensor(name: string, shape: number[], type: number = TensorType.FLOAT32, extra: Partial<TfliteTensor> = {}): TfliteTensor {
  return {
    name,
    shape,
    type,
    buffer: 0,
    quantization: null,
    sparsity: null,
    isVariable: false,
    shapeSignature: null,
    hasRank: false,
    variantTensors: null,
    ...extra,
  };
}

/** An operator code for a builtin op, filling the legacy byte field the way TFLite's converter does. */
export function builtinCode(code: number, version = 1): TfliteOperatorCode {
  return {
    code,
    builtinCode: code,
    deprecatedBuiltinCode: Math.min(code, BuiltinOperator.PLACEHOLDER_FOR_GREATER_OP_CODES),
    customCode: null,
    version,
  };
}

/** An operator with defaults for everything not given. */
export function operator(opcodeIndex: number, inputs: number[], outputs: number[], extra: Partial<TfliteOperator> = {}): TfliteOperator {
  return {
    opcodeIndex,
    inputs,
    outputs,
    builtinOptions: null,
    builtinOptions2: null,
    customOptions: null,
    customOptionsExternal: false,
    customOptionsFormat: 0,
    mutatingVariableInputs: null,
    intermediates: null,
    debugMetadataIndex: -1,
    ...extra,
  };
}

/** A buffer holding the bytes of a typed array. */
export function bufferOf(values: Float32Array | Int32Array | Int16Array | Int8Array | Uint8Array | null, external = false): TfliteBuffer {
  return { data: values ? new Uint8Array(values.buffer, values.byteOffset, values.byteLength) : null, external };
}

/** Per-tensor quantization (one scale and zero point), to spread into a tensor's extra fields. */
export function quant(scale: number, zeroPoint = 0): { quantization: TfliteQuantization } {
  return { quantization: { min: null, max: null, scale: [scale], zeroPoint: [BigInt(zeroPoint)], quantizedDimension: 0, custom: null } };
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
    subgraphs: [
      {
        name: 'main',
        tensors: parts.tensors,
        inputs: parts.inputs,
        outputs: parts.outputs,
        operators: parts.operators,
        debugMetadataIndex: -1,
      },
    ],
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
    operators: [
      operator(0, [0, 1], [2], {
        builtinOptions: { type: BuiltinOptions.AddOptions, table: new AddOptionsT(), absentVectors: [] },
      }),
    ],
    inputs: [0, 1],
    outputs: [2],
    codes: [builtinCode(BuiltinOperator.ADD)],
  });
}

/** y = relu(x · Wᵀ + bias) with constant weights: float32[1,in] → float32[1,out]. */
export function fullyConnectedModel(weights: number[][], bias: number[]): TfliteModel {
  const out = weights.length;
  const inp = at(weights, 0).length;
  return singleGraphModel({
    tensors: [
      tensor('x', [1, inp]),
      tensor('w', [out, inp], TensorType.FLOAT32, { buffer: 1 }),
      tensor('bias', [out], TensorType.FLOAT32, { buffer: 2 }),
      tensor('y', [1, out]),
    ],
    operators: [
      operator(0, [0, 1, 2], [3], {
        builtinOptions: { type: BuiltinOptions.FullyConnectedOptions, table: new FullyConnectedOptionsT(1), absentVectors: [] },
      }),
    ],
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
      tensor('x', [1, 2, 2, 3], TensorType.INT8, {
        quantization: { min: null, max: null, scale: [0.5], zeroPoint: [-3n], quantizedDimension: 0, custom: null },
      }),
      tensor('w', [2, 1, 1, 3], TensorType.INT8, {
        buffer: 1,
        quantization: { min: [-1, -2], max: [1, 2], scale: [0.25, 0.125], zeroPoint: [0n, 0n], quantizedDimension: 3, custom: null },
      }),
      tensor('sparse', [4, 4], TensorType.FLOAT32, {
        buffer: 2,
        sparsity: {
          traversalOrder: [0, 1],
          blockMap: null,
          dimMetadata: [
            { format: 0, denseSize: 4, arraySegments: null, arrayIndices: null },
            {
              format: 1,
              denseSize: 0,
              arraySegments: { kind: 'uint8', values: [0, 1, 1, 2, 2] },
              arrayIndices: { kind: 'uint16', values: [0, 3] },
            },
          ],
        },
      }),
      tensor('shape', [2], TensorType.INT32, { buffer: 3, shapeSignature: [-1, 4], hasRank: true }),
      tensor('y', [4, 3], TensorType.INT8, {
        quantization: { min: null, max: null, scale: null, zeroPoint: null, quantizedDimension: 0, custom: new Uint8Array([1, 2, 3]) },
      }),
      tensor('empty', [], TensorType.FLOAT32, { buffer: 4 }),
    ],
    operators: [
      operator(0, [0, 3], [4], {
        builtinOptions: { type: BuiltinOptions.ReshapeOptions, table: new ReshapeOptionsT(), absentVectors: ['newShape'] },
      }),
      operator(1, [4, -1], [5], { customOptions: new Uint8Array([9, 8, 7, 6]), intermediates: [2], mutatingVariableInputs: [false, true] }),
      operator(2, [5], [1]),
    ],
    inputs: [0],
    outputs: [5],
    codes: [
      builtinCode(BuiltinOperator.RESHAPE),
      { code: 32, builtinCode: 32, deprecatedBuiltinCode: 32, customCode: 'MyCustomOp', version: 2 },
      builtinCode(BuiltinOperator.GELU),
    ],
    buffers: [
      SENTINEL,
      bufferOf(new Int8Array([1, -2, 3, -4, 5, -6])),
      bufferOf(new Float32Array([1, 2])),
      bufferOf(new Int32Array([4, 3])),
      { data: new Uint8Array(0), external: false },
      bufferOf(new Uint8Array([42])),
    ],
  });
  model.metadata = [{ name: 'min_runtime_version', buffer: 5 }];
  model.metadataBuffer = [5];
  model.signatureDefs = [
    {
      signatureKey: 'serving_default',
      inputs: [{ name: 'input', tensorIndex: 0 }],
      outputs: [{ name: 'output', tensorIndex: 5 }],
      subgraphIndex: 0,
      deprecatedTag: null,
    },
  ];
  return model;
}

/** Deterministic pseudo-random floats in [-1, 1). */
export function pseudoRandom(count: number, seed = 1): Float32Array {
  const out = new Float32Array(count);
  let s = seed >>> 0;
  for (let i = 0; i < count; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 2 ** 31 - 1;
  }
  return out;
}

/**
 * NHWC float32[1,7,6,4] → CONV_2D (3×3, stride 2, SAME, RELU6) → DEPTHWISE_CONV_2D (3×3, ×2, VALID)
 * → AVERAGE_POOL_2D (2×2, SAME) → RESHAPE → FULLY_CONNECTED → SOFTMAX.
 */
export function smallCnnModel(): TfliteModel {
  const conv = new Conv2DOptionsT(0, 2, 2, 3);
  const depthwise = new DepthwiseConv2DOptionsT(1, 1, 1, 2, 0);
  const pool = new Pool2DOptionsT(0, 2, 2, 2, 2, 0);
  return singleGraphModel({
    tensors: [
      tensor('image', [1, 7, 6, 4]),
      tensor('conv_w', [3, 3, 3, 4], TensorType.FLOAT32, { buffer: 1 }),
      tensor('conv_b', [3], TensorType.FLOAT32, { buffer: 2 }),
      tensor('conv', [1, 4, 3, 3]),
      tensor('dw_w', [1, 3, 3, 6], TensorType.FLOAT32, { buffer: 3 }),
      tensor('dw_b', [6], TensorType.FLOAT32, { buffer: 4 }),
      tensor('dw', [1, 2, 1, 6]),
      tensor('pool', [1, 1, 1, 6]),
      tensor('shape', [2], TensorType.INT32, { buffer: 5 }),
      tensor('flat', [1, 6]),
      tensor('fc_w', [5, 6], TensorType.FLOAT32, { buffer: 6 }),
      tensor('logits', [1, 5]),
      tensor('probs', [1, 5]),
    ],
    operators: [
      operator(0, [0, 1, 2], [3], { builtinOptions: { type: BuiltinOptions.Conv2DOptions, table: conv, absentVectors: [] } }),
      operator(1, [3, 4, 5], [6], { builtinOptions: { type: BuiltinOptions.DepthwiseConv2DOptions, table: depthwise, absentVectors: [] } }),
      operator(2, [6], [7], { builtinOptions: { type: BuiltinOptions.Pool2DOptions, table: pool, absentVectors: [] } }),
      operator(3, [7, 8], [9], {
        builtinOptions: { type: BuiltinOptions.ReshapeOptions, table: new ReshapeOptionsT([1, 6]), absentVectors: [] },
      }),
      operator(4, [9, 10, -1], [11], {
        builtinOptions: { type: BuiltinOptions.FullyConnectedOptions, table: new FullyConnectedOptionsT(), absentVectors: [] },
      }),
      operator(5, [11], [12], {
        builtinOptions: { type: BuiltinOptions.SoftmaxOptions, table: new SoftmaxOptionsT(1), absentVectors: [] },
      }),
    ],
    inputs: [0],
    outputs: [12],
    codes: [
      BuiltinOperator.CONV_2D,
      BuiltinOperator.DEPTHWISE_CONV_2D,
      BuiltinOperator.AVERAGE_POOL_2D,
      BuiltinOperator.RESHAPE,
      BuiltinOperator.FULLY_CONNECTED,
      BuiltinOperator.SOFTMAX,
    ].map((c) => builtinCode(c)),
    buffers: [
      SENTINEL,
      bufferOf(pseudoRandom(108, 2)),
      bufferOf(pseudoRandom(3, 3)),
      bufferOf(pseudoRandom(54, 4)),
      bufferOf(pseudoRandom(6, 5)),
      bufferOf(new Int32Array([1, 6])),
      bufferOf(pseudoRandom(30, 6)),
    ],
  });
}
