import type { EngineContext } from '../../context';
import type { DataSource } from '../../data/batch';
import { inputLayout } from '../../data/input-layout';
import { LitheError } from '../../errors';
import type { Model } from '../../ir/model';
import { fineTune, type FineTuneResult } from '../../train/fine-tune';
import { loadSamples } from '../../train/samples';
import { openTeacher } from '../../train/teacher';
import { applyWeights } from '../../train/write-back';
import { readFloats } from '../weights/float-data';
import { weightLayers } from '../weights/weight-layers';
import { project, structureOf, type WeightStructure } from './structure';

/** How a compressed model is fine-tuned. */
export interface CompressedFineTuneOptions {
  epochs: number;
  lr: number;
  batchSize: number;
  /** Use at most this many samples of the data. */
  samples?: number;
  /** A model to learn from besides the labels (distillation), as ONNX bytes: usually the model before compression. */
  teacher?: Uint8Array;
  /** Round shared values to float16 at the end (so the package stores them exactly in half precision). */
  halfCentroids: boolean;
}

/** Fails with a plain reason when fine-tuning cannot run on `model` with `data`. */
export function checkTrainable(model: Model, data: DataSource | undefined): DataSource {
  if (model.format !== 'onnx')
    throw new LitheError('unsupported', 'Fine-tuning runs on ONNX models; convert the TFLite model to ONNX first (--format onnx).');
  if (!data || data.random)
    throw new LitheError(
      'invalid-argument',
      'Fine-tuning needs training data (--data, with --labels or class folders): generated samples cannot teach a model.',
    );
  return data;
}

/**
 * Fine-tunes `model` (ONNX, in place) while keeping every pruned weight at zero and every shared
 * weight value shared: before each training step the weights are put back into their structure,
 * and once more at the end. Returns the training history.
 */
export async function fineTuneCompressed(
  model: Model,
  source: DataSource,
  options: CompressedFineTuneOptions,
  ctx: EngineContext = {},
): Promise<FineTuneResult & { structures: WeightStructure[] }> {
  const structures = weightLayers(model)
    .filter((l) => l.tensor.dtype === 'float32' && model.graph.initializers.includes(l.tensor))
    .map((l) => structureOf(l.tensor.name, readFloats(l.tensor)))
    .filter((s) => s.keep || s.cluster);
  const data = await loadSamples(source, options.samples ? { limit: options.samples } : {}, ctx);
  const teacher = options.teacher ? await openTeacher(options.teacher, 'onnx', { threads: 0 }, model) : undefined;
  const constrain = (weights: ReadonlyMap<string, Float32Array>, half: boolean): void => {
    for (const s of structures) {
      const w = weights.get(s.name);
      if (w) project(w, s, half);
    }
  };
  try {
    const result = await fineTune(
      model,
      {
        data,
        ...(teacher ? { teacher } : {}),
        epochs: options.epochs,
        batchSize: options.batchSize,
        lr: options.lr,
        schedule: 'cosine',
        layout: inputLayout(model),
        // Called before every step with the live weight arrays: the structure is restored in place.
        stepInputs: (weights) => {
          constrain(weights, false);
          return {};
        },
      },
      ctx,
    );
    constrain(result.weights, options.halfCentroids);
    applyWeights(model, result.weights);
    return { ...result, structures };
  } finally {
    await teacher?.release();
  }
}
