import { z } from 'zod';
import { widenBeforeQuantizing } from './onnx/widen-float16';
import { definePass } from '../passes/pass';
import { modelGraphs } from '../passes/util/graph-walk';
import { dropUnusedInitializers, requireOpset } from './onnx/graph-edit';
import { dynamicQuantizeOnnx } from './onnx/dynamic-onnx';
import { MS_DOMAIN } from './onnx/matmul-nbits';
import { QUANTIZATION_TOLERANCE } from './tolerance';
import { hybridQuantizeTflite } from './tflite/hybrid';

/**
 * Dynamic-range int8: weights stored as int8 per channel; activations quantized on the fly at
 * run time, so no calibration data is needed.
 */
export const dynamicInt8 = definePass({
  name: 'quantize-int8-dynamic',
  title: 'Quantize weights to int8 (dynamic)',
  description:
    'Stores the weights of matrix, convolution and LSTM layers and embedding tables as 8-bit integers; matrix and LSTM layers also convert their input to 8 bits ' +
    'while the model runs. About 4× smaller weights with no sample data needed; faster only for models dominated by matrix ' +
    'multiplications (transformers, dense layers). Convolutions keep computing in float.',
  options: z.object({
    ops: z
      .array(z.enum(['MatMul', 'Gemm', 'Conv', 'LSTM', 'Gather']))
      .default(['MatMul', 'Gemm', 'Conv', 'LSTM', 'Gather'])
      .describe('Layer types to quantize; the others stay float.'),
    form: z
      .enum(['integer', 'weights-only'])
      .default('integer')
      .describe(
        'integer: DynamicQuantizeLinear with MatMulInteger/ConvInteger; weights-only: int8 weights dequantized before float layers (smaller, same speed).',
      ),
    // Measured with onnxruntime 1.30 on CPU (1 thread, loaded machine): MatMul/Gemm as MatMulInteger 0.89× the float
    // latency on fashion_mnist_cnn; on ppocr_mobile_v2_cls (53 Conv) ConvInteger 1.75× and weights-only 1.68×, the
    // weights-only file 9 % smaller and its activations exact. Neither Conv form is faster on CPU: weights-only is the default.
    convForm: z
      .enum(['integer', 'weights-only'])
      .default('weights-only')
      .describe(
        'Conv layers: weights-only (int8 weights expanded to float; smaller, same arithmetic) or integer (DynamicQuantizeLinear with ConvInteger).',
      ),
    perChannel: z.boolean().default(true).describe('One weight scale per output channel.'),
    exclude: z.array(z.string()).default([]).describe('Layers to keep in float: node names, output names or operator types.'),
  }),
  formats: ['onnx', 'tflite'],
  tolerance: QUANTIZATION_TOLERANCE,
  async run(model, options) {
    if (model.format === 'tflite') {
      const r = hybridQuantizeTflite(model, { form: options.form, perChannel: options.perChannel, exclude: options.exclude });
      const how =
        options.form === 'integer'
          ? 'TFLite hybrid: int8 weights, float activations (the runtime quantizes them on the fly).'
          : 'int8 weights expanded to float when the model loads; the layers compute in float.';
      return {
        changed: r.layers > 0,
        stats: { layersQuantized: r.layers, weightsQuantized: r.weights } as Record<string, number>,
        notes: r.layers > 0 ? [how] : ['No layer with stored float weights was found to quantize.'],
        skipped: r.skipped,
      };
    }
    const opset = model.opsetVersion('') ?? 0;
    if (opset < 11)
      return {
        changed: false,
        stats: { layersQuantized: 0 },
        notes: [`Dynamic quantization needs opset 11 or later (the model has ${opset}); upgrade the opset first.`],
      };
    const notes: string[] = [];
    const widening = widenBeforeQuantizing(model);
    if (widening) notes.push(widening.note);
    const r = dynamicQuantizeOnnx(modelGraphs(model), options, opset >= 13);
    if (r.integerLayers > 0)
      notes.push(`${r.integerLayers} layer(s) compute with integer kernels on inputs quantized while the model runs.`);
    if (r.weightsOnlyLayers > 0)
      notes.push(
        `${r.weightsOnlyLayers} layer(s) store int8 weights that are expanded to float each time the model runs: smaller, not faster ` +
          '(slower on small models, where the expansion is a large share of the work).',
      );
    if (r.recurrentLayers > 0) {
      requireOpset(model, MS_DOMAIN, 1);
      notes.push(
        `${r.recurrentLayers} LSTM layer(s) store int8 weights and multiply in 8 bits (onnxruntime's DynamicQuantizeLSTM, ` +
          'an operator other runtimes may not have): faster for large layers, slower for small ones, where quantizing each step costs more than it saves.',
      );
    }
    if (r.tableLayers > 0)
      notes.push(`${r.tableLayers} embedding table(s) stored in int8, one scale per row; only the rows a run reads are widened to float.`);
    for (const kept of r.floatInputs) notes.push(`${kept.node} keeps a float input with int8 weights: ${kept.reason}.`);
    if (r.layers === 0) notes.push('No layer with a stored float weight was quantized: the model is unchanged.');
    if (r.skipped.length > 0) notes.push(`${r.skipped.length} layer(s) stay in float (see the skipped layers and their reasons).`);
    if (options.form === 'weights-only' || options.convForm === 'weights-only') {
      if (options.perChannel && opset < 13) notes.push('Opset below 13: weights-only layers were quantized per tensor.');
      requireOpset(model, '', Math.max(opset, 10));
    }
    dropUnusedInitializers(model.graph);
    widening?.restore();
    return {
      changed: r.layers > 0,
      stats: { layersQuantized: r.layers, layersInFloat: r.skipped.length },
      notes,
      skipped: r.skipped,
    };
  },
});
