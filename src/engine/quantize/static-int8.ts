import { z } from 'zod';
import { inferShapes } from '../ir/shape-inference';
import { widenBeforeQuantizing } from './onnx/widen-float16';
import { dropUnusedInitializers } from './onnx/graph-edit';
import { definePass } from '../passes/pass';
import { correctBiases } from './bias/bias-correct';
import { calibrateRanges } from './calibrate';
import { applyStaticQdq } from './onnx/apply-qdq';
import { isExcluded, tensorsToQuantize } from './onnx/quantizable';
import { quantizeEmbeddingTables } from './onnx/embedding-int8';
import { nothingQuantizedNote } from './nothing-quantized';
import { calibrationSource } from './pass-data';
import { QUANTIZATION_TOLERANCE } from './tolerance';
import { encodeModel } from './model-copy';
import { fullIntegerByMeasurement } from './tflite/activation-width';
import { fullIntegerTflite } from './tflite/full-int8';

/** Options of static int8 quantization (also used by mixed precision). */
export const StaticInt8Options = z.object({
  calibration: z
    .enum(['minmax', 'percentile', 'entropy'])
    .default('minmax')
    .describe(
      'How activation ranges are chosen: minmax (every value fits), percentile (clips rare outliers), entropy (KL divergence, TensorRT style).',
    ),
  percentile: z.number().min(90).max(100).default(99.999).describe('For percentile calibration: the share of values kept unclipped.'),
  samples: z.number().int().min(1).max(100000).default(256).describe('Calibration samples to use from the data.'),
  activationType: z
    .enum(['uint8', 'int8'])
    .default('uint8')
    .describe('Integer type of activations (uint8 is fastest in onnxruntime on x86).'),
  symmetric: z.boolean().default(false).describe('Symmetric activation ranges (zero point fixed) instead of min/max-fitted ones.'),
  perChannel: z.boolean().default(true).describe('One weight scale per output channel (more accurate) instead of one per layer.'),
  exclude: z.array(z.string()).default([]).describe('Layers to keep in float: node names, output names or operator types.'),
  biasCorrection: z
    .boolean()
    .default(false)
    .describe("Correct each layer's bias for the mean shift that rounding its weights to int8 causes on the calibration data."),
  tflitePerTensorFromDb: z
    .number()
    .min(0)
    .max(100)
    .optional()
    .describe(
      'TFLite: a layer whose weights keep at least this SQNR (dB) with one scale gets one scale instead of one per channel ' +
        '(per-channel scales take 24 bytes per channel in the file: a small model gets noticeably smaller).',
    ),
  tfliteActivations: z
    .enum(['int8', 'int16', 'auto'])
    .default('int8')
    .describe(
      'TFLite: integer type of activations — int8, int16 (16x8 kernels: 256× finer activations, weights still int8, often slower), ' +
        'or auto: int16 only when int8 activations take an output below cosine 0.99 on the calibration samples and int16 does better.',
    ),
  io: z
    .enum(['int8', 'float'])
    .default('int8')
    .describe('TFLite: int8 model inputs and outputs (with their scales), or float32 ones converted at the edges.'),
});

/**
 * Static int8: activation ranges measured on calibration data, weights int8 per channel. ONNX: QDQ
 * form that onnxruntime runs with integer kernels; TFLite: full-integer operators (see tflite/full-int8.ts).
 */
export const staticInt8 = definePass({
  name: 'quantize-int8-static',
  title: 'Quantize to int8 (calibrated)',
  description:
    'Stores weights as 8-bit integers and runs layers in 8-bit arithmetic, using sample data to learn the range of values each ' +
    'layer produces. The model gets about 4× smaller and usually faster on CPUs; accuracy usually drops a little — check it ' +
    'with your data.',
  options: StaticInt8Options,
  formats: ['onnx', 'tflite'],
  tolerance: QUANTIZATION_TOLERANCE,
  needsData: true,
  async run(model, options, ctx) {
    const { source, fixedBatch, notes } = calibrationSource(model, ctx.data, options.samples);
    const calibration = {
      method: options.calibration,
      percentile: options.percentile,
      samples: options.samples,
      ...(fixedBatch ? { fixedBatch } : {}),
    };
    const correct = async (): Promise<void> => {
      const rounding = { perChannel: options.perChannel, exclude: options.exclude, perTensorFromDb: options.tflitePerTensorFromDb };
      const corrected = options.biasCorrection ? await correctBiases(model, source, calibration, rounding, ctx) : 0;
      if (corrected > 0)
        notes.push(`Bias correction: ${corrected} layer(s) had the mean shift of their int8 weights taken out of their bias.`);
    };
    if (model.format === 'tflite') {
      // The float model as given: what 'auto' compares its int8 and int16 trials with.
      const given = options.tfliteActivations === 'auto' ? encodeModel(model) : undefined;
      await correct();
      const full = {
        ...calibration,
        io: options.io,
        exclude: options.exclude,
        perChannel: options.perChannel,
        ...(options.tflitePerTensorFromDb !== undefined ? { perTensorFromDb: options.tflitePerTensorFromDb } : {}),
      };
      const width = options.tfliteActivations;
      const r =
        width === 'auto'
          ? await fullIntegerByMeasurement(model, source, full, given ?? encodeModel(model), ctx)
          : { ...(await fullIntegerTflite(model, source, { ...full, activations: width }, ctx)), width };
      if ('note' in r && r.note) notes.push(r.note);
      const wide = r.width === 'int16';
      const io = options.io === 'float' ? 'float inputs and outputs' : `${wide ? 'int16' : 'int8'} inputs and outputs`;
      if (r.layers > 0 && wide)
        notes.push(`Full integer TFLite, 16x8 (${io}): ${r.layers} operators compute with int16 activations and int8 weights.`);
      else if (r.layers > 0) notes.push(`Full integer TFLite (${io}): ${r.layers} operators compute in int8.`);
      if (r.skipped.length > 0) notes.push(`${r.skipped.length} operator(s) stay in float (see the list of skipped layers).`);
      return {
        changed: r.layers > 0,
        stats: { layersQuantized: r.layers, activationsQuantized: r.activations, layersInFloat: r.skipped.length },
        notes: [...notes, ...r.notes],
        skipped: r.skipped,
      };
    }
    const opset = model.opsetVersion('') ?? 0;
    if (opset < 10)
      return {
        changed: false,
        stats: { layersQuantized: 0 },
        notes: [`Opset ${opset} has no QuantizeLinear: upgrade the model to opset 13 first (the int8 recipes do).`],
      };
    const widening = widenBeforeQuantizing(model);
    if (widening) notes.push(widening.note);
    await correct();
    inferShapes(model, { refresh: widening !== undefined });
    const names = tensorsToQuantize(model.graph, options.exclude).map((v) => v.name);
    const ranges = await calibrateRanges(model, names, source, calibration, ctx);
    const result = applyStaticQdq(model, ranges, {
      activationType: options.activationType,
      symmetricActivations: options.symmetric,
      perChannel: options.perChannel,
      exclude: options.exclude,
    });
    // Token tables are weights a Gather reads, not layers QDQ covers: stored in int8 rows here too.
    const tables = quantizeEmbeddingTables(model.graph, (node) => isExcluded(node, options.exclude));
    if (tables > 0) {
      dropUnusedInitializers(model.graph);
      result.notes.push(`${tables} embedding table(s) stored in int8, one scale per row; only the rows a run reads are widened to float.`);
    }
    const changed = result.layers + result.tensors + tables > 0;
    if (widening) {
      dropUnusedInitializers(model.graph);
      widening.restore();
    }
    return {
      changed,
      stats: { layersQuantized: result.layers, activationsQuantized: result.tensors } as Record<string, number>,
      notes: [...notes, ...result.notes, ...(changed ? [] : [nothingQuantizedNote(model.graph)])],
    };
  },
});
