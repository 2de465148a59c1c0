// tflite-sparse-weights — pruned TFLite weights stored as sparse tensors.
//
//   before:  W (float16, 80 % zeros, dense) ─────────────► DEQUANTIZE ─► CONV_2D
//   after:   W (non-zeros + CSR indices, `sparsity`) ─► DENSIFY ─► DEQUANTIZE ─► CONV_2D
//
// The file shrinks by the zeros (less the index bytes); TFLite expands the tensor once when it
// prepares the model, so memory and speed are those of the dense model. ONNX has no such storage:
// ONNX models are left as they are (the .lithe package stores their zeros compactly).
// Exact: each sparse tensor is expanded back and compared byte for byte before it is kept. Its
// pipeline tolerance is the lossy one only because the pipeline compares every step with the
// original model, which the pruning before this step has already changed.
import { z } from 'zod';
import { definePass, type PassResult } from '../../passes/pass';
import { sparsifyWeights } from '../tflite/sparsify-weights';
import { weightLayers } from '../weights/weight-layers';
import { LOSSY_TOLERANCE } from './lossy-tolerance';

/** Stores pruned weights of TFLite models sparse (with DENSIFY), where that makes the file smaller. */
export const tfliteSparseWeights = definePass({
  name: 'tflite-sparse-weights',
  title: 'Store pruned weights sparse (TFLite)',
  description:
    'In a TFLite model, stores weight tensors that are mostly zeros as sparse tensors: only the non-zero values and their positions. ' +
    'The file gets smaller; TFLite expands them when it loads the model, so memory and speed stay the same. ONNX models are left as they are.',
  options: z.object({}),
  formats: ['tflite'],
  tolerance: LOSSY_TOLERANCE,
  run(model): PassResult {
    if (model.format !== 'tflite')
      return {
        changed: false,
        stats: { tensorsSparse: 0 },
        notes: [
          'Only TFLite files can store sparse weights; ONNX Runtime reads dense tensors (the .lithe package stores the zeros compactly).',
        ],
      };
    let saved = 0;
    let tensors = 0;
    for (const layer of weightLayers(model)) {
      const bytes = sparsifyWeights(layer);
      if (bytes > 0) {
        saved += bytes;
        tensors++;
      }
    }
    const notes = tensors
      ? [
          `${tensors} weight tensors stored sparse, about ${Math.round(saved / 1024)} KB smaller; TFLite expands them when it loads the model.`,
        ]
      : ['No weight tensor has enough zeros for sparse storage to be smaller.'];
    return { changed: tensors > 0, stats: { tensorsSparse: tensors, bytesSaved: saved }, notes };
  },
});
