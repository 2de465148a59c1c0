import { createHash } from 'node:crypto';
import { dirname, resolve } from 'node:path';
import type { SizeReport } from '../../../contract/size';
import { LitheError, reasonOf } from '../../errors';
import { decodeOnnx } from '../../formats/onnx';
import { decodeTflite } from '../../formats/tflite';
import type { Model } from '../../ir/model';
import { LITHE_VERSION } from '../../service/version';
import { encodePackage } from '../package/encode-package';
import { findWeightSegments } from '../package/find-segments';
import { compressedSizes } from './compressed-sizes';
import { estimateRam, type RamEstimate } from './ram-estimate';

/** A size report and the `.lithe` package it measured (to write beside the model). */
export interface MeasuredSize {
  report: SizeReport;
  package: Uint8Array | undefined;
}

const percent = (part: number, whole: number): string => `${((100 * part) / Math.max(1, whole)).toFixed(1)} %`;

function ramNote(ram: RamEstimate, weights: SizeReport['weights']): string {
  const zeroShare = weights.zeros / Math.max(1, weights.elements);
  if (ram.sparseTensors > 0)
    return (
      `${ram.sparseTensors} weight tensors are stored sparse in the file; the runtime expands them to dense tensors ` +
      'when it loads the model, so memory holds the dense weights (and the sparse copy).'
    );
  if (zeroShare >= 0.2)
    return (
      `${percent(weights.zeros, weights.elements)} of the weights are zeros, stored in dense tensors: the runtime keeps and multiplies them like any other value, ` +
      'so this model needs as much memory and computation as with the zeros filled in. Only the file shrinks (the package and the zip sizes show it). ' +
      'Removing whole channels (prune-structured) is what makes memory and time smaller.'
    );
  return (
    'Weights are held as stored; the activation figure is the most memory the intermediate values need at once when each is freed ' +
    'after its last use and fused steps share a buffer, as runtimes with a planned memory arena hold them (the figure the device estimates use).'
  );
}

/**
 * Measures a model file: its size after gzip, brotli and zstd and as a `.lithe` package, the
 * order-0 entropy of its weights, and the memory it needs at run time. `model` is the file decoded
 * (decoded here when not given).
 */
export async function measureSize(
  bytes: Uint8Array,
  format: 'onnx' | 'tflite',
  options: { file?: string; name?: string; model?: Model } = {},
): Promise<MeasuredSize> {
  const baseDir = options.file ? dirname(resolve(options.file)) : undefined;
  const model =
    options.model ?? (format === 'onnx' ? decodeOnnx(bytes, { file: options.file, baseDir }) : decodeTflite(bytes, { file: options.file }));
  let tensors: SizeReport['tensors'] = [];
  let pkg: Uint8Array | undefined;
  let litheUnavailable: string | undefined;
  try {
    const encoded = encodePackage(bytes, findWeightSegments(bytes, format, options.file), {
      format,
      name: options.name ?? 'model',
      encoder: `lithe ${LITHE_VERSION}`,
    });
    tensors = encoded.tensors;
    pkg = encoded.bytes;
  } catch (error) {
    if (!(error instanceof LitheError)) throw error;
    litheUnavailable = reasonOf(error);
  }
  const weights = tensors.reduce(
    (sum, t) => ({
      bytes: sum.bytes + t.bytes,
      elements: sum.elements + t.elements,
      zeros: sum.zeros + t.zeros,
      entropyBytes: sum.entropyBytes + t.entropyBytes,
    }),
    { bytes: 0, elements: 0, zeros: 0, entropyBytes: 0 },
  );
  const ram = estimateRam(model);
  const report: SizeReport = {
    fileBytes: bytes.length,
    ...(await compressedSizes(bytes)),
    ...(pkg ? { litheBytes: pkg.length } : { litheUnavailable }),
    weights,
    otherBytes: bytes.length - weights.bytes,
    ram: { ...ram, note: ramNote(ram, weights) },
    tensors,
  };
  return { report, package: pkg };
}

// Reports of files measured before, by content: a model optimized again (another recipe, a batch
// with several recipes, the wizard's re-runs) is measured once. Reports are small (one row per tensor).
const measured = new Map<string, SizeReport>();
const MEASURED_KEPT = 32;

function contentKey(bytes: Uint8Array, format: string): string {
  return `${format}:${createHash('sha256').update(bytes).digest('hex')}`;
}

function remember(key: string, report: SizeReport): void {
  measured.delete(key);
  measured.set(key, report);
  if (measured.size > MEASURED_KEPT) measured.delete(measured.keys().next().value as string);
}

/**
 * Size reports of both sides of an optimization; the output's package is returned to be written
 * beside it. The input is measured once per file content; an output equal to its input reuses the
 * input's report unless its package is wanted.
 */
export async function compareSizes(
  input: { bytes: Uint8Array; format: 'onnx' | 'tflite'; file: string; name: string },
  output: { bytes: Uint8Array; format: 'onnx' | 'tflite'; model?: Model; name: string; wantPackage: boolean },
): Promise<{ input: SizeReport; output: SizeReport; outputPackage: Uint8Array | undefined }> {
  const inputKey = contentKey(input.bytes, input.format);
  const before = measured.get(inputKey) ?? (await measureSize(input.bytes, input.format, { file: input.file, name: input.name })).report;
  remember(inputKey, before);
  if (!output.wantPackage && contentKey(output.bytes, output.format) === inputKey)
    return { input: before, output: before, outputPackage: undefined };
  const after = await measureSize(output.bytes, output.format, { name: output.name, ...(output.model ? { model: output.model } : {}) });
  return { input: before, output: after.report, outputPackage: after.package };
}
