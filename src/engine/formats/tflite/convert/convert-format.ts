import type { EngineContext } from '../../../context';
import { LitheError } from '../../../errors';
import type { Model } from '../../../ir/model';
import { onnxToTflite, type OnnxToTfliteOptions } from './from-onnx';
import { tfliteToOnnx, type TfliteToOnnxOptions } from './to-onnx';
import { describeUnconvertible, type UnconvertibleOp } from './unconvertible';

/** Options for {@link convertModelFormat}. */
export interface FormatConversionOptions extends OnnxToTfliteOptions, TfliteToOnnxOptions {
  /** The file being converted, for error messages. */
  file?: string;
  /** Return a partial conversion instead of throwing (its `unconvertible` list is then non-empty). */
  allowPartial?: boolean;
}

/** Result of {@link convertModelFormat}. */
export interface FormatConversion {
  model: Model;
  /** Ops that could not be converted (op, node, why); non-empty means the model must not be written. */
  unconvertible: UnconvertibleOp[];
  /** What the conversion chose or did that the user should know. */
  notes: string[];
  /** Sizes chosen for open input dimensions, as `dims` entries (dimension name or `input:axis`), for running the original alike. */
  dims: Record<string, number>;
}

/**
 * Converts an IR model between ONNX and TFLite operators ('onnx' ↔ 'tflite'); the same format
 * returns the model unchanged. Throws `unsupported` for other pairs, and — unless `allowPartial` —
 * when any op cannot be converted, naming each one. An ONNX source is rewritten in place while it
 * is prepared (sizes fixed, constants folded).
 */
export async function convertModelFormat(
  model: Model,
  to: string,
  options: FormatConversionOptions = {},
  ctx: EngineContext = {},
): Promise<FormatConversion> {
  try {
    return await convert(model, to, options, ctx);
  } catch (error) {
    // every failure names the file being converted
    if (error instanceof LitheError && !error.file && options.file && error.code !== 'cancelled')
      throw new LitheError(error.code, error.reason, { file: options.file, cause: error.cause ?? error });
    throw error;
  }
}

async function convert(model: Model, to: string, options: FormatConversionOptions, ctx: EngineContext): Promise<FormatConversion> {
  let result: FormatConversion;
  if (model.format === to) result = { model, unconvertible: [], notes: [], dims: {} };
  else if (model.format === 'tflite' && to === 'onnx') {
    const converted = tfliteToOnnx(model, options);
    result = { model: converted.model, unconvertible: converted.unconvertible, notes: converted.notes, dims: {} };
  } else if (model.format === 'onnx' && to === 'tflite') {
    const converted = await onnxToTflite(model, options, ctx);
    const dims: Record<string, number> = {};
    for (const input of converted.inputs)
      input.declaredShape.forEach((d, axis) => {
        const size = input.shape[axis];
        if ((typeof d !== 'number' || d < 0) && size !== undefined)
          dims[typeof d === 'string' && d !== '' ? d : `${input.name}:${axis}`] = size;
      });
    result = { model: converted.model, unconvertible: converted.unconvertible, notes: converted.notes, dims };
  } else throw new LitheError('unsupported', `converting ${model.format} to ${to} is not supported`, { file: options.file });
  if (result.unconvertible.length && !options.allowPartial) {
    throw new LitheError(
      'unsupported',
      `cannot convert to ${to === 'onnx' ? 'ONNX' : 'TFLite'}: ${describeUnconvertible(result.unconvertible)}`,
      { file: options.file },
    );
  }
  return result;
}
