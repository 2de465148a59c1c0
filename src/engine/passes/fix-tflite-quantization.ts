/**
 * fix-tflite-quantization: a per-channel quantization axis that the tensor does not have is pointed
 * at the only axis that fits.
 *
 *   W int8[8,3,3,3], 8 scales, quantized_dimension 3      →      quantized_dimension 0
 */
import { z } from 'zod';
import { tensorQuantizationProblem } from '../formats/tflite';
import { tfliteRecord, type TfliteValueRecord } from '../formats/tflite/ir-records';
import { definePass } from './pass';
import { modelGraphs } from './util/graph-walk';

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
    for (const graph of modelGraphs(model)) {
      for (const value of graph.ownValues()) {
        const record = tfliteRecord<TfliteValueRecord>(value.extras);
        const quantization = record?.tensor.quantization;
        const problem = record ? tensorQuantizationProblem(record.tensor) : null;
        if (!record || !quantization || !problem) continue;
        if (problem.fixDimension === null) {
          ambiguous++;
          continue;
        }
        record.tensor = { ...record.tensor, quantization: { ...quantization, quantizedDimension: problem.fixDimension } };
        fixed++;
      }
    }
    const notes = ambiguous
      ? [`${ambiguous} tensor(s) have a quantization axis that no single dimension matches; they were left unchanged.`]
      : [];
    return { changed: fixed > 0, stats: { tensorsFixed: fixed }, notes };
  },
});
