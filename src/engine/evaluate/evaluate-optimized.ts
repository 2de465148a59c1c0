import type { EvaluationSummary } from '../../contract';
import type { EngineContext } from '../context';
import type { DataSource } from '../data/batch';
import type { InputLayout } from '../data/input-layout';
import type { ModelFormat } from '../formats/model-io';
import { compareOnData } from './compare-on-data';
import { dataRunner } from './evaluate-model';
import { layerErrors } from './layer-errors';

/**
 * Measures the original and the optimized model on the same data: accuracy before and after (with
 * labels), fidelity of the result to the original, and per-layer error for ONNX pairs.
 */
export async function evaluateOptimized(
  original: { bytes: Uint8Array; format: ModelFormat },
  optimized: { bytes: Uint8Array; format: ModelFormat },
  source: DataSource,
  layout: InputLayout,
  options: { limit?: number } = {},
  ctx: EngineContext = {},
): Promise<EvaluationSummary> {
  // An original the runtime cannot load (e.g. a legacy opset the optimization upgraded) is skipped.
  const before = await dataRunner({ ...original, layout }, 'the original model').catch(() => undefined);
  const after = await dataRunner({ ...optimized, layout }, 'the optimized model');
  let comparison;
  try {
    comparison = await compareOnData(after, before, source, { limit: options.limit }, ctx);
  } finally {
    await before?.runner.dispose();
    await after.runner.dispose();
  }
  const summary: EvaluationSummary = {
    data: { description: source.description, samples: comparison.samples, random: source.random, labeled: source.labeled },
  };
  if (!before) return comparison.accuracy ? { ...summary, accuracyAfter: comparison.accuracy } : summary;
  if (comparison.referenceAccuracy) summary.accuracyBefore = comparison.referenceAccuracy;
  if (comparison.accuracy) summary.accuracyAfter = comparison.accuracy;
  if (comparison.fidelity) summary.fidelity = comparison.fidelity;
  if (original.format === 'onnx' && optimized.format === 'onnx') {
    const layers = await layerErrors(original.bytes, optimized.bytes, source, {
      samples: 32,
      ...(layout.fixedBatch ? { fixedBatch: layout.fixedBatch } : {}),
    });
    if (layers.length) summary.layers = layers;
  }
  return summary;
}
