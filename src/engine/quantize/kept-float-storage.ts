// The layers mixed precision keeps in float need not keep float32 weights: stored float16 (expanded
// when the model loads, computation unchanged) they take half the bytes. Tried once on the chosen
// model and kept only when the target still holds.
//
//   TFLite kept layer:  W f32 ─ CONV_2D      →      W f16 ─ DEQUANTIZE ─ CONV_2D
//   ONNX kept layer:    W f32 ─ Conv         →      W f16 ─ Cast(float) ─ Conv   (QDQ scales stay float32)
import type { ModelFormat } from '../formats/model-io';
import { decodeModel, encodeModel } from './model-copy';
import type { Node } from '../ir/node';
import type { Value } from '../ir/value';
import { float16Weights, unlistWeightInputs } from './onnx/float16-convert';
import { float16Tflite } from './tflite/float16-tflite';

/** Smallest weight (in values) worth storing float16; smaller constants cost more in the operator they need. */
const MIN_ELEMENTS = 16;

/** QDQ operators: their scales stay float32 constants, or onnxruntime cannot fuse them into integer kernels. */
const QDQ = new Set(['QuantizeLinear', 'DequantizeLinear']);

/** True for an ONNX node that computes in int8: one of its inputs is a stored weight dequantized (QDQ). */
function isQuantizedNode(node: Node): boolean {
  return node.inputs.some((v) => {
    const p = v?.producer;
    return p?.opType === 'DequantizeLinear' && p.inputs[0]?.initializer !== undefined;
  });
}

/** ONNX: a float32 weight read only by layers that compute in float (not QDQ scales, not biases of int8 layers). */
function floatLayerWeight(value: Value): boolean {
  return value.consumers.length > 0 && value.consumers.every((n) => !QDQ.has(n.opType) && !isQuantizedNode(n));
}

/**
 * `bytes` with the float32 weights of its float layers stored float16, and how many were, or
 * `undefined` when there are none.
 */
export function halfStoredFloatLayers(format: ModelFormat, bytes: Uint8Array): { bytes: Uint8Array; tensors: number } | undefined {
  const model = decodeModel(format, bytes);
  let converted: number;
  if (format === 'tflite') converted = float16Tflite(model, MIN_ELEMENTS).converted;
  else {
    // Weights listed as graph inputs too (IR < 4) are stored weights all the same, as the fp16 step treats them.
    unlistWeightInputs(model);
    converted = float16Weights(model, MIN_ELEMENTS, floatLayerWeight);
  }
  return converted > 0 ? { bytes: encodeModel(model), tensors: converted } : undefined;
}
