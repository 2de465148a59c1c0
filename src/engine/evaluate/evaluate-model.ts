import { readFile } from 'node:fs/promises';
import type { z } from 'zod';
import type { EvaluateArgs, EvaluateReport } from '../../contract/evaluate';
import type { EngineContext } from '../context';
import type { DataSource } from '../data/batch';
import { inputLayout, type InputLayout } from '../data/input-layout';
import { openData } from '../data/open-data';
import { RANDOM_DATA_WARNING, randomSource } from '../data/random-source';
import { loadModel, type ModelFormat } from '../formats/model-io';
import { plannedLayout } from '../verify/planned-inputs';
import { openRunner } from '../verify/verifier';
import { compareOnData, type DataComparison, type DataRunner } from './compare-on-data';
import { layerErrors } from './layer-errors';

/** What `lithe eval` measures: the contract's `eval.run` arguments (fields with defaults may be left out). */
export type EvaluateRequest = z.input<typeof EvaluateArgs>;

export type { EvaluateReport };

/** A model file read for evaluation: bytes, format and input layout. */
export interface LoadedForEval {
  path: string;
  bytes: Uint8Array;
  format: ModelFormat;
  layout: InputLayout;
  /** The layout generated samples take: open axes at the sizes verification runs the model with. */
  generated: InputLayout;
}

/** Reads a model file for evaluation. */
export async function loadForEval(path: string): Promise<LoadedForEval> {
  const { model, facts, format } = await loadModel(path);
  const layout = inputLayout(model);
  return { path: facts.path, bytes: new Uint8Array(await readFile(facts.path)), format, layout, generated: plannedLayout(model, layout) };
}

/** Opens the data for a model (or random samples, flagged). */
export async function dataFor(
  model: Pick<LoadedForEval, 'layout' | 'generated'>,
  request: { data?: string; labels?: string; normalize?: string },
  randomCount = 32,
): Promise<DataSource> {
  return request.data
    ? openData({ path: request.data, labels: request.labels, normalize: request.normalize }, model.layout)
    : randomSource(model.generated, randomCount);
}

/** Loads model bytes in their runtime as a {@link DataRunner}. */
export async function dataRunner(
  model: { bytes: Uint8Array; format: ModelFormat; layout: InputLayout; path?: string },
  role: string,
): Promise<DataRunner> {
  const runner = await openRunner(model.bytes, model.format, role, { file: model.path });
  return { runner, ...(model.layout.fixedBatch ? { fixedBatch: model.layout.fixedBatch } : {}) };
}

/** Measures a model on data: accuracy with labels, fidelity and per-layer error against a reference. */
export async function evaluateModel(request: EvaluateRequest, ctx: EngineContext = {}): Promise<EvaluateReport> {
  const started = performance.now();
  const candidate = await loadForEval(request.model);
  const reference = request.reference ? await loadForEval(request.reference) : undefined;
  const source = await dataFor(candidate, request);
  const warnings: string[] = source.random ? [RANDOM_DATA_WARNING] : [];
  if (!source.labeled && !source.random)
    warnings.push('The data has no labels, so accuracy could not be measured (give --labels, or put images in class subfolders).');
  const cand = await dataRunner(candidate, 'the model');
  const ref = reference ? await dataRunner(reference, 'the reference model') : undefined;
  let comparison: DataComparison;
  try {
    comparison = await compareOnData(cand, ref, source, { limit: request.limit, batchSize: request.batchSize }, ctx);
  } finally {
    await cand.runner.dispose();
    await ref?.runner.dispose();
  }
  const report: EvaluateReport = {
    schema: 'lithe.eval/1',
    model: { path: candidate.path, format: candidate.format, sizeBytes: candidate.bytes.byteLength },
    data: { description: source.description, samples: comparison.samples, random: source.random, labeled: source.labeled },
    warnings,
    durationMs: 0,
  };
  if (comparison.accuracy) report.accuracy = comparison.accuracy;
  if (comparison.fidelity) report.fidelity = comparison.fidelity;
  if (reference) {
    report.reference = {
      path: reference.path,
      format: reference.format,
      sizeBytes: reference.bytes.byteLength,
      ...(comparison.referenceAccuracy ? { accuracy: comparison.referenceAccuracy } : {}),
    };
    if (request.perLayer !== false) {
      if (reference.format === 'onnx' && candidate.format === 'onnx') {
        ctx.onProgress?.({ stage: 'layers', message: 'Measuring the error of each layer' });
        report.layers = await layerErrors(reference.bytes, candidate.bytes, source, {
          samples: Math.min(request.limit ?? 64, 64),
          fixedBatch: candidate.layout.fixedBatch,
        });
      } else {
        warnings.push('Per-layer error is measured for ONNX models only (TFLite runtimes do not expose intermediate tensors).');
      }
    }
  }
  report.durationMs = performance.now() - started;
  return report;
}
