import { LitheError } from '../../../errors';
import type { Model } from '../../../ir/model';
import { onnxToTflite } from './from-onnx';
import { tfliteToOnnx } from './to-onnx';
import { describeUnconvertible, type UnconvertibleOp } from './unconvertible';

/** Result of {@link convertModelFormat}. */
export interface FormatConversion {
  model: Model;
  /** Ops that could not be converted (op, node, why); non-empty means the model must not be written. */
  unconvertible: UnconvertibleOp[];
}

/**
 * Converts an IR model between ONNX and TFLite operators ('onnx' ↔ 'tflite'); the same format
 * returns the model unchanged. Throws `unsupported` for other pairs, and — unless `allowPartial` —
 * when any op cannot be converted, naming each one.
 */
export function convertModelFormat(model: Model, to: string, options: { file?: string; allowPartial?: boolean } = {}): FormatConversion {
  let result: FormatConversion;
  if (model.format === to) result = { model, unconvertible: [] };
  else if (model.format === 'tflite' && to === 'onnx') result = tfliteToOnnx(model);
  else if (model.format === 'onnx' && to === 'tflite') result = onnxToTflite(model);
  else throw new LitheError('unsupported', `converting ${model.format} to ${to} is not supported`, { file: options.file });
  if (result.unconvertible.length && !options.allowPartial) {
    throw new LitheError(
      'unsupported',
      `cannot convert to ${to === 'onnx' ? 'ONNX' : 'TFLite'}: ${describeUnconvertible(result.unconvertible)}`,
      { file: options.file },
    );
  }
  return result;
}
