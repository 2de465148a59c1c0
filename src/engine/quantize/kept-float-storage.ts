// The layers mixed precision keeps in float need not keep float32 weights: stored float16 (expanded
// when the model loads, computation unchanged) they take half the bytes. Tried once on the chosen
// model and kept only when the target still holds.
//
//   kept layer:  W f32 ─ CONV_2D      →      W f16 ─ DEQUANTIZE ─ CONV_2D
import type { ModelFormat } from '../formats/model-io';
import { decodeModel, encodeModel } from './model-copy';
import { float16Tflite } from './tflite/float16-tflite';

/** Smallest weight (in values) worth storing float16; smaller constants cost more in the operator they need. */
const MIN_ELEMENTS = 16;

/**
 * `bytes` with the float32 weights left in it stored float16, and how many were, or `undefined` when
 * there are none (or the format has no such storage here: ONNX keeps its QDQ scales float32).
 */
export function halfStoredFloatLayers(format: ModelFormat, bytes: Uint8Array): { bytes: Uint8Array; tensors: number } | undefined {
  if (format !== 'tflite') return undefined;
  const model = decodeModel(format, bytes);
  const { converted } = float16Tflite(model, MIN_ELEMENTS);
  return converted > 0 ? { bytes: encodeModel(model), tensors: converted } : undefined;
}
