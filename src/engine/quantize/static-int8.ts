import { z } from 'zod';
import { encodeOnnx } from '../formats/onnx';
import { inferShapes } from '../ir/shape-inference';
import { definePass } from '../passes/pass';
import { calibrateRanges } from './calibrate';
import { applyStaticQdq } from './onnx/apply-qdq';
import { tensorsToQuantize } from './onnx/quantizable';
import { calibrationSource } from './pass-data';
import { QUANTIZATION_TOLERANCE } from './tolerance';
import { staticTflite } from './tflite/static-tflite';

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
});

/**
 * Static int8: activation ranges measured on calibration data, weights int8 per channel, in QDQ
 * form that onnxruntime runs with integer kernels.
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
  async run(model, options, ctx) {
    if (model.format === 'tflite') return staticTflite(model, options.samples, ctx);
    const opset = model.opsetVersion('') ?? 0;
    if (opset < 10)
      return {
        changed: false,
        stats: { layersQuantized: 0 },
        notes: [`Opset ${opset} has no QuantizeLinear: upgrade the model to opset 13 first (the int8 recipes do).`],
      };
    inferShapes(model);
    const { source, fixedBatch, notes } = calibrationSource(model, ctx.data, options.samples);
    const names = tensorsToQuantize(model.graph, options.exclude).map((v) => v.name);
    const ranges = await calibrateRanges(
      encodeOnnx(model),
      names,
      source,
      { method: options.calibration, percentile: options.percentile, samples: options.samples, ...(fixedBatch ? { fixedBatch } : {}) },
      ctx,
    );
    const result = applyStaticQdq(model, ranges, {
      activationType: options.activationType,
      symmetricActivations: options.symmetric,
      perChannel: options.perChannel,
      exclude: options.exclude,
    });
    return {
      changed: result.layers + result.tensors > 0,
      stats: { layersQuantized: result.layers, activationsQuantized: result.tensors } as Record<string, number>,
      notes: [...notes, ...result.notes],
    };
  },
});
