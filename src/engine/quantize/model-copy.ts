import { decodeOnnx, encodeOnnx } from '../formats/onnx';
import { decodeTflite, encodeTflite } from '../formats/tflite';
import type { Model } from '../ir/model';
import { inferShapes } from '../ir/shape-inference';
import { createOrtRunner } from '../verify/ort-runner';
import { createTfliteRunner } from '../verify/tflite-runner';
import type { ModelRunner } from '../verify/model-runner';

/** The model's bytes in its own format. */
export function encodeModel(model: Model): Uint8Array {
  return model.format === 'tflite' ? encodeTflite(model) : encodeOnnx(model);
}

/** A model read from bytes of `format`. */
export function decodeModel(format: string, bytes: Uint8Array): Model {
  return format === 'tflite' ? decodeTflite(bytes) : decodeOnnx(bytes);
}

/** An independent copy of `model` (through its own format's bytes). */
export function copyModel(model: Model): Model {
  return decodeModel(model.format, encodeModel(model));
}

/** Loads model bytes of `format` in its runtime: onnxruntime for ONNX, the TFLite runtime for TFLite. */
export function createModelRunner(format: string, bytes: Uint8Array, role: string): Promise<ModelRunner> {
  return format === 'tflite' ? createTfliteRunner(bytes, { role }) : createOrtRunner(bytes, { role });
}

/**
 * A copy of `model` that also outputs the values `names` (main graph), as bytes of its format, with
 * the output index of each. Values whose type is known and not float32 are left out; an ONNX value
 * of unknown type is exposed without a declared type, so the runtime decides it (a wrong guess would
 * make the copy fail to load).
 */
export function exposedCopy(model: Model, names: readonly string[]): { bytes: Uint8Array; outputs: Map<string, number> } {
  const copy = copyModel(model);
  if (copy.format !== 'tflite') inferShapes(copy);
  const graph = copy.graph;
  const outputs = new Map<string, number>();
  for (const name of names) {
    const value = graph.ownValue(name);
    const type = value?.type;
    if (!value || (type && (type.kind !== 'tensor' || type.dtype !== 'float32'))) continue;
    let at = graph.outputs.indexOf(value);
    if (at < 0) {
      // Declare the element type only: a shape here could contradict what the runtime computes for other input sizes.
      // A graph input keeps its declared type: it is what the runtime plans the input's feeds from.
      if (copy.format !== 'tflite' && !graph.inputs.includes(value)) value.type = type ? { kind: 'tensor', dtype: type.dtype } : undefined;
      graph.outputs.push(value);
      at = graph.outputs.length - 1;
    }
    outputs.set(name, at);
  }
  return { bytes: encodeModel(copy), outputs };
}
