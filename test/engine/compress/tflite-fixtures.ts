// A small TFLite model with a float16 weight behind DEQUANTIZE and a float32 weight, for pruning tests.
import { BuiltinOperator } from '../../../src/engine/formats/tflite/generated/tflite/builtin-operator';
import { BuiltinOptions } from '../../../src/engine/formats/tflite/generated/tflite/builtin-options';
import { FullyConnectedOptionsT } from '../../../src/engine/formats/tflite/generated/tflite/fully-connected-options';
import { TensorType } from '../../../src/engine/formats/tflite/generated/tflite/tensor-type';
import type { TfliteModel } from '../../../src/engine/formats/tflite/tflite-model';
import { toHalfBits } from '../../../src/engine/util/half-float';
import { bufferOf, builtinCode, operator, pseudoRandom, SENTINEL, singleGraphModel, tensor } from '../helpers/tflite-builders';

const fc = () => ({ type: BuiltinOptions.FullyConnectedOptions, table: new FullyConnectedOptionsT(), absentVectors: [] });

/** float32[1,128] → FULLY_CONNECTED (float16 weights [64,128] via DEQUANTIZE) → FULLY_CONNECTED (float32 [10,64]) → [1,10]. */
export function twoLayerTflite(): TfliteModel {
  const half = Uint16Array.from(pseudoRandom(64 * 128, 11), (v) => toHalfBits(v));
  return singleGraphModel({
    tensors: [
      tensor('x', [1, 128]),
      tensor('w1_f16', [64, 128], TensorType.FLOAT16, { buffer: 1 }),
      tensor('w1', [64, 128]),
      tensor('h', [1, 64]),
      tensor('w2', [10, 64], TensorType.FLOAT32, { buffer: 2 }),
      tensor('y', [1, 10]),
    ],
    operators: [
      operator(0, [1], [2]),
      operator(1, [0, 2, -1], [3], { builtinOptions: fc() }),
      operator(1, [3, 4, -1], [5], { builtinOptions: fc() }),
    ],
    inputs: [0],
    outputs: [5],
    codes: [builtinCode(BuiltinOperator.DEQUANTIZE), builtinCode(BuiltinOperator.FULLY_CONNECTED)],
    buffers: [SENTINEL, { data: new Uint8Array(half.buffer), external: false }, bufferOf(pseudoRandom(640, 12))],
  });
}
