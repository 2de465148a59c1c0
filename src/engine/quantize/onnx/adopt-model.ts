import { LitheError } from '../../errors';
import type { Model } from '../../ir/model';

/** Throws a clear error when an ONNX-only quantization pass meets a model of another format. */
export function requireOnnxModel(model: Model, pass: string): void {
  if (model.format !== 'onnx')
    throw new LitheError('unsupported', `${pass} works on ONNX models; for TFLite use the tflite-int8 or tflite-hybrid passes.`);
}

/** Replaces the contents of `target` with those of `source` (a pass's in-place result built on a copy). */
export function adoptModel(target: Model, source: Model): void {
  target.graph = source.graph;
  target.opsets = source.opsets;
  target.irVersion = source.irVersion;
  target.functions = source.functions;
}
