import { z } from 'zod';
import { definePass } from '../passes/pass';
import { dropUnusedInitializers, requireOpset } from './onnx/graph-edit';
import { matMulNBitsNodes, MS_DOMAIN } from './onnx/matmul-nbits';
import { isExcluded } from './onnx/quantizable';
import { QUANTIZATION_TOLERANCE } from './tolerance';

/** Weight-only 4-bit quantization of matrix multiplications (onnxruntime's MatMulNBits). */
export const int4Weights = definePass({
  name: 'quantize-int4-weights',
  title: 'Quantize matrix weights to 4 bits',
  description:
    'Stores the weights of matrix multiplications in 4 bits, in small blocks that each keep their own scale. Matrix weights ' +
    'shrink about 7×; best for models made mostly of matrix multiplications (language and speech models). Convolutions stay as ' +
    'they are.',
  options: z.object({
    blockSize: z
      .union([z.literal(16), z.literal(32), z.literal(64), z.literal(128), z.literal(256)])
      .default(32)
      .describe('Weights per block sharing one scale: smaller blocks are more accurate, larger ones smaller.'),
    symmetric: z.boolean().default(false).describe('Symmetric blocks (no zero points): slightly smaller, slightly less accurate.'),
    minElements: z.number().int().min(0).default(1024).describe('Skip matrices with fewer weights than this (too small to matter).'),
    exclude: z.array(z.string()).default([]).describe('Layers to keep in float: node names, output names or operator types.'),
  }),
  formats: ['onnx'],
  tolerance: QUANTIZATION_TOLERANCE,
  run(model, options) {
    const graph = model.graph;
    let layers = 0;
    for (const node of [...graph.nodes]) {
      if ((node.opType !== 'MatMul' && node.opType !== 'Gemm') || isExcluded(node, options.exclude)) continue;
      if ((node.inputs[1]?.initializer?.elementCount ?? 0) < options.minElements) continue;
      const replacement = matMulNBitsNodes(graph, node, options.blockSize, options.symmetric);
      if (!replacement) continue;
      graph.replaceNode(node, replacement);
      layers++;
    }
    if (layers) {
      requireOpset(model, MS_DOMAIN, 1);
      dropUnusedInitializers(graph);
    }
    const notes = layers ? [] : ['No matrix multiplication with constant weights was large enough to quantize to 4 bits.'];
    return { changed: layers > 0, stats: { layersQuantized: layers }, notes };
  },
});
