import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { basename, dirname, extname, resolve } from 'node:path';
import type { PackReport, UnpackReport } from '../../../contract/package';
import type { EngineContext } from '../../context';
import { LitheError, throwIfCancelled } from '../../errors';
import { sniffFormat } from '../../files/sniff-format';
import { writeNewFile } from '../../files/write-new-file';
import { decodeOnnx } from '../../formats/onnx';
import { readTflite } from '../../formats/tflite';
import { LITHE_VERSION } from '../../service/version';
import { decodePackage, isPackage, PackageError, type DecodedPackage } from '../decoder';
import { encodePackage, type PackageInfo } from './encode-package';
import { findWeightSegments } from './find-segments';

export type { PackReport, UnpackReport };

/** Options of pack and unpack. */
export interface PackFileOptions {
  /** Replace an existing output file (never the input). */
  replace?: boolean;
}

function readInput(path: string): Uint8Array {
  try {
    if (!statSync(path).isFile()) throw new LitheError('unreadable', 'is not a file', { file: path });
    return new Uint8Array(readFileSync(path));
  } catch (error) {
    if (error instanceof LitheError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ERR_FS_FILE_TOO_LARGE') throw new LitheError('unsupported', 'the file is larger than 2 GB', { file: path, cause: error });
    throw new LitheError(code === 'ENOENT' ? 'not-found' : 'unreadable', 'the file does not exist or cannot be read', {
      file: path,
      cause: error,
    });
  }
}

/** The model format of `bytes`, read through its format reader so a damaged model is refused here. */
function modelFormat(bytes: Uint8Array, file: string): 'onnx' | 'tflite' {
  const sniffed = sniffFormat(bytes, bytes.length);
  if (sniffed.format === null) {
    const why = isPackage(bytes) ? 'It is already a .lithe package.' : sniffed.reason;
    throw new LitheError('not-a-model', why, { file });
  }
  if (sniffed.format === 'onnx') decodeOnnx(bytes, { file, baseDir: dirname(resolve(file)) });
  else readTflite(bytes, { file });
  return sniffed.format;
}

const hex = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/**
 * Packs the model file `input` into a `.lithe` package at `output`: tensor data coded losslessly
 * (zero runs, codebooks, byte planes — whichever is smallest), everything else kept byte for
 * byte. The package is decoded and compared with the original before it is written.
 */
export function packModelFile(input: string, output: string, options: PackFileOptions = {}, ctx: EngineContext = {}): PackReport {
  const started = performance.now();
  const bytes = readInput(input);
  const format = modelFormat(bytes, input);
  throwIfCancelled(ctx.signal);
  const info: PackageInfo = { format, name: basename(input), encoder: `lithe ${LITHE_VERSION}` };
  const encoded = encodePackage(bytes, findWeightSegments(bytes, format, input), info);
  throwIfCancelled(ctx.signal);
  const check = decodePackage(encoded.bytes).model;
  const sha256 = hex(bytes);
  if (check.length !== bytes.length || hex(check) !== sha256)
    throw new LitheError('internal', 'the package did not decode to the identical model; nothing was written', { file: input });
  writeNewFile(output, encoded.bytes, { inputs: [input], replace: options.replace });
  return {
    input,
    output,
    format,
    originalBytes: bytes.length,
    packageBytes: encoded.bytes.length,
    sha256,
    skeletonBytes: encoded.skeletonBytes,
    tensors: encoded.tensors,
    durationMs: performance.now() - started,
  };
}

/** Decodes package bytes, turning a {@link PackageError} into a LitheError naming `file`. */
export function decodePackageBytes(bytes: Uint8Array, file: string): DecodedPackage {
  try {
    return decodePackage(bytes);
  } catch (error) {
    if (!(error instanceof PackageError)) throw error;
    const code =
      error.code === 'not-a-package'
        ? 'not-a-model'
        : error.code === 'unsupported-version' || error.code === 'too-large'
          ? 'unsupported'
          : 'corrupt-model';
    throw new LitheError(code, error.message, { file, cause: error });
  }
}

/**
 * Turns the `.lithe` package `input` back into the model file it was made from, at `output`
 * (written under a temporary name, then renamed). The decoder checks the original's SHA-256.
 */
export function unpackModelFile(input: string, output: string, options: PackFileOptions = {}, ctx: EngineContext = {}): UnpackReport {
  const started = performance.now();
  const bytes = readInput(input);
  const { model } = decodePackageBytes(bytes, input);
  throwIfCancelled(ctx.signal);
  const sniffed = sniffFormat(model, model.length);
  if (sniffed.format === null) throw new LitheError('corrupt-model', 'the package does not hold an ONNX or TFLite model', { file: input });
  const ext = extname(output).toLowerCase();
  const expected = sniffed.format === 'onnx' ? '.onnx' : '.tflite';
  if ((ext === '.onnx' || ext === '.tflite') && ext !== expected)
    throw new LitheError('invalid-argument', `the package holds a ${sniffed.format} model; name the output ${expected}, not ${ext}`, {
      file: output,
    });
  writeNewFile(output, model, { inputs: [input], replace: options.replace });
  return {
    input,
    output,
    format: sniffed.format,
    packageBytes: bytes.length,
    modelBytes: model.length,
    sha256: hex(model),
    durationMs: performance.now() - started,
  };
}
