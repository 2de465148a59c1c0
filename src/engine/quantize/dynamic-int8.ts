import { z } from 'zod';
import type { Node } from '../ir/node';
import type { Value } from '../ir/value';
import { definePass } from '../passes/pass';
import { dropUnusedInitializers, requireOpset } from './onnx/graph-edit';
import { dynamicIntegerNodes } from './onnx/dynamic-integer';
import { isExcluded } from './onnx/quantizable';
import { QUANTIZATION_TOLERANCE } from './tolerance';
import { hybridQuantizeTflite } from './tflite/hybrid';
import { quantizeWeightQdq, weightAxis } from './onnx/weights-qdq';

/**
 * Dynamic-range int8: weights stored as int8 per channel; activations quantized on the fly at
 * run time, so no calibration data is needed.
 */
export const dynamicInt8 = definePass({
  name: 'quantize-int8-dynamic',
  title: 'Quantize weights to int8 (dynamic)',
  description:
    'Stores the weights of matrix and convolution layers as 8-bit integers and converts each layer’s input to 8 bits while the ' +
    'model runs. About 4× smaller weights with no sample data needed; fastest for models dominated by matrix multiplications ' +
    '(transformers, LSTMs, dense layers).',
  options: z.object({
    // Measured on fashion_mnist_cnn with onnxruntime 1.30 (1 thread): MatMul/Gemm only 0.89× the float
    // latency; adding ConvInteger 1.38×; weights-only QDQ 1.81×. Convolutions are opt-in.
    ops: z
      .array(z.enum(['MatMul', 'Gemm', 'Conv']))
      .default(['MatMul', 'Gemm'])
      .describe('Layer types to quantize (Conv runs slower as ConvInteger in onnxruntime; use static int8 for convolutional models).'),
    form: z
      .enum(['integer', 'weights-only'])
      .default('integer')
      .describe(
        'integer: DynamicQuantizeLinear with MatMulInteger/ConvInteger; weights-only: int8 weights dequantized before float layers (smaller, same speed).',
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
    const graph = model.graph;
    const opset = model.opsetVersion('') ?? 0;
    const notes: string[] = [];
    if (opset < 11)
      return {
        changed: false,
        stats: { layersQuantized: 0 },
        notes: [`Dynamic quantization needs opset 11 or later (the model has ${opset}); upgrade the opset first.`],
      };
    let layers = 0;
    const cache = new Map<Value, { value: Value; scales: Float32Array; node: Node }>();
    const prepend: Node[] = [];
    for (const node of [...graph.nodes]) {
      if (!(options.ops as string[]).includes(node.opType) || isExcluded(node, options.exclude)) continue;
      if (options.form === 'weights-only') {
        const axis = weightAxis(node);
        const weight = node.inputs[1];
        if (axis === undefined || !weight) continue;
        const fresh = !cache.has(weight);
        const w = quantizeWeightQdq(graph, weight, axis, options.perChannel && opset >= 13, cache);
        if (!w) continue;
        if (fresh) prepend.push(w.node);
        node.setInput(1, w.value);
        layers++;
        continue;
      }
      const replacement = dynamicIntegerNodes(graph, node, options.perChannel);
      if (!replacement) continue;
      graph.replaceNode(node, replacement);
      layers++;
    }
    graph.addNodes(prepend, { at: 0 });
    if (options.form === 'weights-only' && options.perChannel && opset < 13)
      notes.push('Opset below 13: weights were quantized per tensor.');
    if (options.form === 'weights-only') requireOpset(model, '', Math.max(opset, 10));
    dropUnusedInitializers(graph);
    return { changed: layers > 0, stats: { layersQuantized: layers }, notes };
  },
});
