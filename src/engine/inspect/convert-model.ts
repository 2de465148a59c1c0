import { statSync } from 'node:fs';
import { extname } from 'node:path';
import type { ConvertResult } from '../../contract/model';
import type { EngineContext } from '../context';
import { LitheError } from '../errors';
import { sameFile } from '../files/same-file';
import { MODEL_FORMATS } from '../formats';
import { openModel } from './open-model';
import { convertModelFormat } from '../formats/tflite';

export type { ConvertResult };

/**
 * Reads the model at `inPath` and writes it to `outPath` in the format its extension names
 * (ONNX or TFLite, either way). Writes to a temporary name in the destination folder, then renames.
 * Refuses when `outPath` is the input file itself.
 */
export async function convertModel(inPath: string, outPath: string, ctx: EngineContext = {}): Promise<ConvertResult> {
  if (sameFile(inPath, outPath)) {
    throw new LitheError(
      'invalid-argument',
      'the output is the input file itself; Lithe never writes over its input — choose another output path',
      { file: outPath },
    );
  }
  const ext = extname(outPath).toLowerCase();
  const target = MODEL_FORMATS.find((f) => f.extensions.includes(ext));
  if (!target) {
    throw new LitheError(
      'unsupported',
      `cannot tell the output format from the extension '${ext || '(none)'}'; use ${MODEL_FORMATS.flatMap((f) => f.extensions).join(' or ')}`,
      { file: outPath },
    );
  }
  const { model, format } = openModel(inPath, ctx);
  const converted = format.name === target.name ? model : (await convertModelFormat(model, target.name, { file: inPath }, ctx)).model;
  target.write(converted, outPath, ctx);
  return { inPath, outPath, fromFormat: format.name, toFormat: target.name, sizeBytes: statSync(outPath).size };
}
