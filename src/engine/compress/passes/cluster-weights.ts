// cluster-weights — weight sharing by per-layer k-means (k = 2^bits).
//
//   before:  W = [ 0.412 -0.018  0.397 -0.881  0.0 ]            (bits 1: two shared values)
//   after:   W = [ 0.405  0.405  0.405 -0.881  0.0 ]            each weight → its cluster's centroid
//
// Centroids are rounded to float16 by default, so the .lithe package stores the codebook in half
// precision exactly and each weight as an entropy-coded index. Pruned zeros stay zero (keepZeros).
import { z } from 'zod';
import { definePass, type PassResult } from '../../passes/pass';
import { clusterWeights } from '../cluster/cluster-weights';
import { readFloats, roundToHalf, writeFloats } from '../weights/float-data';
import { checkKeys, layerSelection, perLayer, selectLayers } from './layer-options';
import { LOSSY_TOLERANCE } from './lossy-tolerance';

const bits = z.number().int().min(1).max(12);

const options = z.object({
  bits: bits.default(4).describe('Bits per weight index: 2^bits shared values per layer (4 bits = 16 clusters).'),
  convBits: bits
    .optional()
    .describe('Bits for convolution layers (Deep Compression used 8 for convolutions, 5 for fully connected layers).'),
  layers: z.record(z.string(), bits).default({}).describe('Bits for particular layers, e.g. {"fc1": 5, "conv1": 8}.'),
  init: z
    .enum(['linear', 'density', 'random'])
    .default('linear')
    .describe('Where the first centroids go: evenly over the range, at quantiles, or at random weights.'),
  keepZeros: z.boolean().default(true).describe('Leave zero (pruned) weights at zero instead of clustering them.'),
  centroids: z
    .enum(['float16', 'float32'])
    .default('float16')
    .describe('Precision of the shared values (float16: the package stores them in 2 bytes each).'),
  ...layerSelection,
});

/** Clusters each layer's weights to 2^bits shared values (k-means). */
export const clusterWeightsPass = definePass({
  name: 'cluster-weights',
  title: 'Share weight values (clustering)',
  description:
    'Groups each layer’s weights into 2^bits clusters (k-means) and replaces every weight by its cluster’s value, so a layer holds only a few distinct numbers. ' +
    'The model file stays the same size, but the .lithe package stores each weight as a short index: 4 bits instead of 32. Memory at run time does not change.',
  options,
  formats: ['onnx', 'tflite'],
  tolerance: LOSSY_TOLERANCE,
  run(model, opts): PassResult {
    const layers = selectLayers(model, opts);
    checkKeys(layers, Object.keys(opts.layers), 'layers');
    const done: string[] = [];
    let weights = 0;
    let clusters = 0;
    for (const layer of layers) {
      const kindBits = layer.kind === 'dense' ? opts.bits : (opts.convBits ?? opts.bits);
      const k = 2 ** perLayer(layer, opts.layers, kindBits);
      if (layer.tensor.elementCount <= k) continue;
      const half = opts.centroids === 'float16' || layer.tensor.dtype === 'float16';
      const result = clusterWeights(readFloats(layer.tensor), {
        clusters: k,
        init: opts.init,
        keepZeros: opts.keepZeros,
        round: half ? roundToHalf : Math.fround,
      });
      writeFloats(layer.tensor, result.values);
      done.push(`${layer.name} ${result.centroids.length} values (${Math.log2(k)} bits)`);
      weights += layer.tensor.elementCount;
      clusters += result.centroids.length;
    }
    const notes = done.length
      ? [
          `Shared values per layer: ${done.join(', ')}.`,
          'The weights are still stored as floats in the model, so memory at run time is as before; the .lithe package stores the indices.',
        ]
      : ['No layer has more weights than clusters: nothing to share.'];
    return { changed: done.length > 0, stats: { layersClustered: done.length, weightsClustered: weights, sharedValues: clusters }, notes };
  },
});
