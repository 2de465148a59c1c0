/**
 * fix-tflite-quantization: a per-channel quantization axis that the tensor does not have is pointed
 * at the only axis that fits.
 *
 *   W int8[8,3,3,3], 8 scales, quantized_dimension 3      →      quantized_dimension 0
 */
import { z } from 'zod';
import { quantizationAxisProblem } from '../formats/tflite';
import type { Value } from '../ir/value';
import { definePass } from './pass';
import { modelGraphs } from './util/graph-walk';
import { Skips } from './util/skips';

// The stored shape of a tensor value: its data's dims, else its declared shape.
function storedShape(value: Value): number[] {
  if (value.initializer) return value.initializer.dims;
  const shape = value.type?.kind === 'tensor' ? value.type.shape : undefined;
  return (shape ?? []).map((d) => (typeof d === 'number' ? d : -1));
}

/**
 * Repairs per-channel quantization that names a dimension the tensor does not have (TFLite Micro
 * ignores such a `quantized_dimension`; full TFLite refuses the whole model). The scales and the
 * data stay as they are: only the dimension they belong to is corrected, when exactly one fits.
 */
export const fixTfliteQuantization = definePass({
  name: 'fix-tflite-quantization',
  title: 'Repair quantization settings for full TFLite',
  description:
    'Some models made for microcontrollers record, for a few tensors, a quantization axis that does not exist. ' +
    'Microcontroller runtimes ignore it; full TFLite refuses to load the model. This points each such setting at the only axis that fits. ' +
    'The stored numbers do not change. Only TFLite models are affected.',
  options: z.object({}),
  formats: ['tflite'],
  run(model) {
    let fixed = 0;
    let ambiguous = 0;
    const skips = new Skips();
    for (const graph of modelGraphs(model)) {
      for (const value of graph.ownValues()) {
        const q = value.quantization;
        const problem = q ? quantizationAxisProblem(storedShape(value), q.scale.length, q.axis) : null;
        if (!q || !problem) continue;
        if (problem.fixDimension === null) {
          ambiguous++;
          const readers = value.consumers;
          const reader = readers[0] ?? value.producer;
          if (reader)
            skips.add(
              reader,
              `tensor '${value.name}' has ${q.scale.length} scales along axis ${q.axis}, and no single dimension has that size`,
            );
          continue;
        }
        value.quantization = { ...q, axis: problem.fixDimension };
        fixed++;
      }
    }
    const notes = ambiguous
      ? [`${ambiguous} tensor(s) have a quantization axis that no single dimension matches; they were left unchanged.`]
      : [];
    return { changed: fixed > 0, stats: { tensorsFixed: fixed }, notes, skipped: skips.list };
  },
});
