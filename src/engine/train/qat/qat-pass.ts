import { z } from 'zod';
import type { EngineContext } from '../../context';
import { LitheError } from '../../errors';
import { encodeOnnx } from '../../formats/onnx';
import type { Model } from '../../ir/model';
import { inferShapes } from '../../ir/shape-inference';
import { definePass, type PassContext, type PassResult, type StepTolerance } from '../../passes/pass';
import { calibrateRanges, type TensorRange } from '../../quantize/calibrate';
import { int4Weights } from '../../quantize/int4-weights';
import { applyStaticQdq } from '../../quantize/onnx/apply-qdq';
import { tensorsToQuantize } from '../../quantize/onnx/quantizable';
import { seededRandom } from '../../util/seeded-random';
import { convertModelFormat } from '../../formats/tflite';
import { inputLayout } from '../../data/input-layout';
import { staticInt8 } from '../../quantize/static-int8';
import { fuseActivation } from '../../passes/fuse-activation';
import { fineTune } from '../fine-tune';
import { holdOut, loadSamples, type Samples } from '../samples';
import { openTeacher } from '../teacher';
import { defaultTrainable } from '../trainable';
import { applyWeights } from '../write-back';
import { fakeQuantize, type FakeQuantPlan } from './fake-quant';

/** Fine-tuning moves outputs on purpose: this only catches broken results; accuracy on the data is the judge. */
export const TRAINING_TOLERANCE: StepTolerance = { atol: 1, rtol: 10, vectorRtol: 10, cosine: 0.5, agreement: 0.5, iou: 0.3 };

const TrainingOptions = {
  epochs: z.number().int().min(1).max(1000).default(1).describe('Passes over the training data.'),
  lr: z.number().positive().max(1).default(1e-4).describe('Learning rate (small: the model is already trained).'),
  batchSize: z.number().int().min(1).max(65536).default(64).describe('Samples per training step.'),
  samples: z.number().int().min(1).optional().describe('Use at most this many training samples (default: all).'),
  temperature: z.number().positive().default(4).describe('Distillation temperature when the data has no labels (the float model teaches).'),
  threads: z.number().int().min(0).max(256).default(0).describe('onnxruntime threads (0: all cores).'),
  seed: z.number().int().default(1),
};

function fixedBatchOf(model: Model): { fixedBatch?: number } {
  const fixed = inputLayout(model).fixedBatch;
  return fixed ? { fixedBatch: fixed } : {};
}

// Puts every field of `source` into `target` (a pass replaces the model it was given).
function replaceModel(target: Model, source: Model): void {
  Object.assign(target, {
    format: source.format,
    graph: source.graph,
    irVersion: source.irVersion,
    producerName: source.producerName,
    producerVersion: source.producerVersion,
    docString: source.docString,
    opsets: source.opsets,
    metadata: source.metadata,
    functions: source.functions,
    extras: source.extras,
  });
}

/** Loads the pass's training data, holding out a little for the epoch curve when there is enough. */
async function trainingData(ctx: PassContext, limit: number | undefined, seed: number): Promise<{ train: Samples; validation?: Samples }> {
  if (!ctx.data || ctx.data.random)
    throw new LitheError(
      'invalid-argument',
      'Quantization-aware training needs training data: give --data (labels are optional; without them the float model teaches).',
    );
  const samples = await loadSamples(ctx.data, limit ? { limit } : {}, ctx);
  return samples.count >= 1000 ? holdOut(samples, Math.min(0.05, 2000 / samples.count), seededRandom(seed)) : { train: samples };
}

interface QatRun {
  plan: FakeQuantPlan;
  options: z.infer<z.ZodObject<typeof TrainingOptions>>;
  /** Writes the real quantized form of the trained float model. */
  exportQuantized(model: Model): Promise<{ layers: number; tensors: number; notes: string[] }>;
}

// Fake-quantize, fine-tune (labels, or the float model as teacher), write the trained weights back, export.
async function runQat(model: Model, run: QatRun, ctx: PassContext): Promise<PassResult> {
  const { options } = run;
  const { train, validation } = await trainingData(ctx, options.samples, options.seed);
  const trainable = defaultTrainable(model.graph);
  const fq = fakeQuantize(model, run.plan);
  const settings = { threads: options.threads };
  const teacher = train.labels ? undefined : await openTeacher(encodeOnnx(model), 'onnx', settings, model);
  let result;
  try {
    result = await fineTune(
      fq.model,
      {
        data: train,
        ...(validation ? { validation } : {}),
        ...(teacher ? { teacher, loss: [{ kind: 'distill-kl', temperature: options.temperature }] } : {}),
        epochs: options.epochs,
        batchSize: options.batchSize,
        lr: options.lr,
        trainable: (name) => trainable.has(name),
        stepInputs: (w) => fq.stepInputs(w),
        stepInputNames: fq.stepInputNames,
        session: settings,
        seed: options.seed,
      },
      ctx as EngineContext,
    );
  } finally {
    await teacher?.release();
  }
  applyWeights(model, result.weights);
  const exported = await run.exportQuantized(model);
  const last = result.history[result.history.length - 1];
  const measure = last?.valAccuracy ?? last?.valAgreement;
  const what = last?.valAccuracy !== undefined ? 'top-1' : 'agreement with the float model';
  return {
    changed: true,
    stats: {
      epochs: result.history.length,
      layersQuantized: exported.layers,
      activationsQuantized: exported.tensors,
      parametersTrained: result.trainedParameters,
    },
    notes: [
      `Trained ${result.history.length} epoch(s) with fake quantization on ${train.count} samples (${teacher ? 'no labels: the float model taught' : 'labels'}).`,
      ...(measure !== undefined
        ? [`Held-out ${what} with fake quantization after training: ${(measure * 100).toFixed(2)} % (${validation?.count} samples).`]
        : []),
      ...exported.notes,
    ],
  };
}

/** int8 quantization-aware training: calibrated fake quantization, fine-tuning, then the int8 QDQ export. */
export const int8Qat = definePass({
  name: 'quantize-int8-qat',
  title: 'Quantize to int8, trained to keep accuracy',
  description:
    'Like calibrated int8, but the model is first fine-tuned on your data while seeing the rounding of 8-bit numbers, so it learns to work with ' +
    'them. About 4× smaller; accuracy usually stays at the float model’s level. Needs data; labels are optional.',
  options: z.object({
    ...TrainingOptions,
    calibration: z
      .enum(['minmax', 'percentile', 'entropy'])
      .default('minmax')
      .describe('How the initial activation ranges are calibrated.'),
    calibrationSamples: z.number().int().min(1).max(100000).default(256).describe('Samples used to calibrate the activation ranges.'),
  }),
  formats: ['onnx', 'tflite'],
  tolerance: TRAINING_TOLERANCE,
  async run(model, options, ctx) {
    // TFLite models train in their ONNX form and come back as full-integer TFLite.
    const tflite = model.format === 'tflite';
    const onnx = tflite ? (await convertModelFormat(model, 'onnx', { file: model.sourcePath }, ctx)).model : model;
    inferShapes(onnx);
    const names = tensorsToQuantize(onnx.graph, []).map((v) => v.name);
    if (!ctx.data) throw new LitheError('invalid-argument', 'Quantization-aware training needs training data (--data).');
    const ranges: Map<string, TensorRange> = await calibrateRanges(
      onnx,
      names,
      ctx.data,
      { method: options.calibration, percentile: 99.999, samples: options.calibrationSamples, ...fixedBatchOf(onnx) },
      ctx,
    );
    return runQat(
      onnx,
      {
        plan: { activations: ranges, weights: { kind: 'int8' } },
        options,
        async exportQuantized(trained) {
          if (!tflite) {
            const r = applyStaticQdq(trained, ranges, {
              activationType: 'uint8',
              symmetricActivations: false,
              perChannel: true,
              exclude: [],
            });
            return { layers: r.layers, tensors: r.tensors, notes: r.notes };
          }
          replaceModel(model, (await convertModelFormat(trained, 'tflite', { file: model.sourcePath }, ctx)).model);
          // The conversion writes activations as operators of their own; TFLite's integer kernels want them fused.
          await fuseActivation.run(model, {}, ctx);
          const r = await staticInt8.run(model, staticInt8.options.parse({ samples: options.calibrationSamples }), ctx);
          return {
            layers: r.stats['layersQuantized'] ?? 0,
            tensors: r.stats['activationsQuantized'] ?? 0,
            notes: [
              'TFLite: trained in its ONNX form, converted back, then quantized with activation ranges calibrated again on the data.',
              ...(r.notes ?? []),
            ],
          };
        },
      },
      ctx,
    );
  },
});

/** int4 quantization-aware training of matrix weights (blocks of 4-bit values), then the 4-bit export. */
export const int4Qat = definePass({
  name: 'quantize-int4-qat',
  title: 'Quantize matrix weights to 4 bits, trained to keep accuracy',
  description:
    'Stores the weights of matrix multiplications in 4 bits, block by block, after fine-tuning the model on your data while it sees those 4-bit weights. Matrix ' +
    'weights shrink about 7×; accuracy recovers most of what plain 4-bit rounding loses. Needs data; labels are optional.',
  options: z.object({
    ...TrainingOptions,
    blockSize: z
      .union([z.literal(16), z.literal(32), z.literal(64), z.literal(128), z.literal(256)])
      .default(32)
      .describe('Weights per block sharing one scale.'),
    minElements: z.number().int().min(0).default(1024).describe('Skip matrices with fewer weights than this.'),
  }),
  // It writes onnxruntime's MatMulNBits weights, which only ONNX models can hold.
  formats: ['onnx'],
  tolerance: TRAINING_TOLERANCE,
  async run(model, options, ctx) {
    inferShapes(model);
    return runQat(
      model,
      {
        plan: { activations: new Map(), weights: { kind: 'int4', blockSize: options.blockSize, minElements: options.minElements } },
        options,
        async exportQuantized(trained) {
          const r = await int4Weights.run(
            trained,
            { blockSize: options.blockSize, symmetric: false, minElements: options.minElements, exclude: [] },
            ctx,
          );
          return { layers: r.stats['layersQuantized'] ?? 0, tensors: 0, notes: r.notes ?? [] };
        },
      },
      ctx,
    );
  },
});
