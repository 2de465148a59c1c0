/**
 * equalize-channels: cross-layer equalization (Nagel et al. 2019, "Data-Free Quantization Through
 * Weight Equalization and Bias Correction"). For each pair of layers with only scale-commuting
 * operators between them (see layer-pairs.ts), output channel i of the first layer is divided by
 * s_i and input channel i of the second multiplied by s_i, with
 *
 *   s_i = √(r1_i · r2_i) / r2_i     r1_i = max|W1[i, …]|,  r2_i = max|W2[…, i, …]|
 *
 * so that both ranges become √(r1_i · r2_i). The model computes the same function (ReLU(x/s) =
 * ReLU(x)/s for s > 0), but no channel is tiny next to its neighbours any more, which is what
 * per-tensor int8 weights lose most on (depthwise layers above all).
 *
 *   before:  W1 rows  [0.01 … 4.0],  W2 columns [2.0 … 0.02]
 *   after:   W1 rows ≈ W2 columns ≈ [0.14 … 0.28]      (the bias of layer 1 is divided by s too)
 *
 * Chains (conv → depthwise → conv) are equalized pair by pair, in rounds, until the scales settle.
 * `pairs: 'depthwise'` keeps to the pairs with a depthwise layer in them (where per-tensor and
 * per-channel int8 both gain most; between two full convolutions per-channel weights already
 * give each channel its own scale, and the activation between them only gets wider).
 */
import { z } from 'zod';
import type { Graph } from '../../ir/graph';
import { removeDeadCode } from '../../passes/util/dead-code';
import { modelGraphs } from '../../passes/util/graph-walk';
import { definePass, EXACT_TOLERANCE } from '../../passes/pass';
import { isExcluded } from '../onnx/quantizable';
import { channelIndex, inputChannelIndex, writeLayer, type LayerWeights } from './layer-weights';
import { layerPairs, type LayerPair } from './layer-pairs';

/** Options of cross-layer equalization. */
export const EqualizeOptions = z.object({
  rounds: z.number().int().min(1).max(100).default(20).describe('Passes over all pairs (chains settle over several).'),
  maxScale: z.number().min(1).max(1e6).default(1e4).describe('Largest factor one channel is scaled by, either way.'),
  exclude: z.array(z.string()).default([]).describe('Layers to leave as they are: node names, output names or operator types.'),
  pairs: z
    .enum(['all', 'depthwise'])
    .default('all')
    .describe('Which pairs of layers to balance: all of them, or only those with a depthwise convolution in them.'),
});

// Largest |w| of each channel, by a channel index per element.
function channelRanges(weight: Float32Array, index: Int32Array, channels: number): Float64Array {
  const r = new Float64Array(channels);
  for (let e = 0; e < weight.length; e++) {
    const c = index[e] ?? 0;
    const a = Math.abs(weight[e] ?? 0);
    if (a > (r[c] ?? 0)) r[c] = a;
  }
  return r;
}

interface Indexed {
  pair: LayerPair;
  out: Int32Array;
  in: Int32Array;
}

/** One round of equalization over the pairs; returns the largest |log s| applied. */
function equalizeRound(pairs: readonly Indexed[], maxScale: number): number {
  let largest = 0;
  for (const { pair, out, in: inIndex } of pairs) {
    const { first, second, channels } = pair;
    const r1 = channelRanges(first.weight, out, channels);
    const r2 = channelRanges(second.weight, inIndex, channels);
    const s = Float64Array.from(r1, (a, i) => {
      const b = r2[i] ?? 0;
      if (!(a > 0) || !(b > 0)) return 1;
      return Math.min(maxScale, Math.max(1 / maxScale, Math.sqrt(a * b) / b));
    });
    for (let e = 0; e < first.weight.length; e++) first.weight[e] = (first.weight[e] ?? 0) / (s[out[e] ?? 0] ?? 1);
    for (let c = 0; c < first.bias.length; c++) first.bias[c] = (first.bias[c] ?? 0) / (s[c] ?? 1);
    for (let e = 0; e < second.weight.length; e++) second.weight[e] = (second.weight[e] ?? 0) * (s[inIndex[e] ?? 0] ?? 1);
    for (const v of s) largest = Math.max(largest, Math.abs(Math.log(v)));
  }
  return largest;
}

function equalizeGraph(graph: Graph, options: z.infer<typeof EqualizeOptions>): { pairs: number; layers: number } {
  const pairs = layerPairs(graph, (node) => isExcluded(node, options.exclude)).filter(
    (pair) => options.pairs === 'all' || pair.first.kind === 'depthwise' || pair.second.kind === 'depthwise',
  );
  if (pairs.length === 0) return { pairs: 0, layers: 0 };
  const indexed: Indexed[] = pairs.map((pair) => ({
    pair,
    out: channelIndex(pair.first.dims, pair.first.outAxis),
    in: inputChannelIndex(pair.second),
  }));
  for (let round = 0; round < options.rounds; round++) if (equalizeRound(indexed, options.maxScale) < 1e-3) break;
  const layers = new Set<LayerWeights>(pairs.flatMap((p) => [p.first, p.second]));
  for (const layer of layers) writeLayer(graph, layer);
  removeDeadCode(graph);
  return { pairs: pairs.length, layers: layers.size };
}

/** Cross-layer equalization as a pass (see the header). */
export const equalizeChannels = definePass({
  name: 'equalize-channels',
  title: 'Balance channel ranges between layers',
  description:
    'Rescales the channels of consecutive layers against each other so that no channel has far smaller weights than its ' +
    'neighbours. The model computes the same results; 8-bit weights then lose less (Nagel et al., 2019).',
  options: EqualizeOptions,
  prepares: true,
  formats: ['onnx', 'tflite'],
  tolerance: EXACT_TOLERANCE,
  run(model, options) {
    let pairs = 0;
    let layers = 0;
    for (const graph of modelGraphs(model)) {
      const r = equalizeGraph(graph, options);
      pairs += r.pairs;
      layers += r.layers;
    }
    return {
      changed: pairs > 0,
      stats: { layerPairs: pairs, layersRescaled: layers },
      notes: pairs > 0 ? [`Balanced the channels of ${pairs} pair(s) of consecutive layers (${layers} layers rescaled).`] : [],
    };
  },
});
