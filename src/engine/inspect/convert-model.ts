import { readFileSync, statSync } from 'node:fs';
import { extname } from 'node:path';
import type { ConvertArgs, ConvertResult } from '../../contract/model';
import type { EngineContext } from '../context';
import { LitheError } from '../errors';
import { sameFile } from '../files/same-file';
import { MODEL_FORMATS } from '../formats';
import { writeNewFile } from '../files/write-new-file';
import { openModel } from './open-model';
import { decodeOnnx, sourceDataFiles } from '../formats/onnx';
import { convertModelFormat, decodeTflite } from '../formats/tflite';
import { checkConversion } from './convert-check';

export type { ConvertResult };

/**
 * Reads the model at `inPath` and writes it to `outPath` in the format its extension names
 * (ONNX or TFLite, either way). A converted model is read back and run in its runtime against the
 * original in its own before it is written (to a temporary name in the destination folder, then
 * renamed); one that cannot be read back or run is not written. Refuses when `outPath` is the
 * input file itself.
 */
export async function convertModel(
  inPath: string,
  outPath: string,
  ctx: EngineContext = {},
  options: Pick<ConvertArgs, 'dims' | 'exposeState'> = {},
): Promise<ConvertResult> {
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
  // The model's own external data files are inputs too: never written over, whatever their name.
  const inputs = [inPath, ...sourceDataFiles(model)];
  if (inputs.some((input) => sameFile(input, outPath)))
    throw new LitheError(
      'invalid-argument',
      "the output is the input model's own external data file; Lithe never writes over its input — choose another output path",
      { file: outPath },
    );
  const done = { inPath, outPath, fromFormat: format.name, toFormat: target.name };
  if (format.name === target.name) {
    target.write(model, outPath, ctx);
    return { ...done, sizeBytes: statSync(outPath).size, notes: [] };
  }
  const conversion = await convertModelFormat(
    model,
    target.name,
    { file: inPath, dims: options.dims, exposeState: options.exposeState },
    ctx,
  );
  const bytes = target.encode(conversion.model);
  let reread;
  try {
    reread = target.name === 'onnx' ? decodeOnnx(bytes, { file: outPath }) : decodeTflite(bytes, { file: outPath });
  } catch (error) {
    const why = error instanceof LitheError ? error.reason : String(error);
    throw new LitheError('internal', `the converted model does not read back (${why}); nothing was written`, { file: inPath });
  }
  const check = await checkConversion(
    { bytes: new Uint8Array(readFileSync(inPath)), format: format.name, model },
    { bytes, format: target.name, model: reread },
    { dims: { ...conversion.dims, ...options.dims }, file: inPath },
  );
  writeNewFile(outPath, bytes, { inputs, replace: true });
  return { ...done, sizeBytes: bytes.length, notes: conversion.notes, check };
}
