import { basename } from 'node:path';

/** `name.onnx` → `name`: a model file's name without its folder and model extension. */
export function stemOf(path: string): string {
  return basename(path).replace(/\.(onnx|tflite|ort)$/i, '');
}
