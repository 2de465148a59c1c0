// prune-gradual — magnitude pruning in steps with fine-tuning between them (polynomial decay).
//
//   sparsity after step t of T:  s_t = s_final · (1 − (1 − t/T)³)        (TFMOT's PolynomialDecay, power 3)
//   each step:  prune every layer to its s_t by magnitude, then fine-tune with the zeros held at zero
//
// Final rates: one model-wide target spread over the layers by normalised magnitude (global-rates.ts),
// uniform, or a per-layer table. Needs training data with labels (ONNX models).
import { z } from 'zod';
import { encodeOnnx } from '../../formats/onnx';
import { definePass, type PassResult } from '../../passes/pass';
import { fineTuneCompressed, checkTrainable } from '../finetune/fine-tune-compressed';
import { globalRates } from '../prune/global-rates';
import { countZeros, pruneByMagnitude } from '../prune/magnitude';
import { readFloats, writeFloats } from '../weights/float-data';
import { weightLayers } from '../weights/weight-layers';
import { sparsityStats, sparsityWords } from '../prune/model-sparsity';
import { fineTuneOptions } from './fine-tune-options';
import { checkKeys, layerSelection, perLayer, selectLayers } from './layer-options';
import { LOSSY_TOLERANCE } from './lossy-tolerance';

const rate = z.number().min(0).max(0.995);

const options = z.object({
  sparsity: rate.default(0.9).describe('Share of all weights of the pruned layers that ends up zero.'),
  distribution: z
    .enum(['global', 'uniform'])
    .default('global')
    .describe(
      '"global": one magnitude threshold over all layers (large fully connected layers lose the most); "uniform": every layer the same.',
    ),
  layers: z.record(z.string(), rate).default({}).describe('Final rates for particular layers, e.g. {"fc1": 0.97}.'),
  steps: z.number().int().min(1).max(50).default(4).describe('Pruning steps; the rate grows by polynomial decay (power 3).'),
  epochsPerStep: z.number().min(0).max(100).default(1),
  ...fineTuneOptions,
  ...layerSelection,
});

/** Prunes gradually, fine-tuning between steps so the model recovers. */
export const pruneGradual = definePass({
  name: 'prune-gradual',
  title: 'Prune gradually, with fine-tuning',
  description:
    'Sets more and more of the smallest weights to zero over several steps, and trains the model on your data after each step so it recovers. ' +
    'Reaches much higher sparsity than one-shot pruning at the same accuracy. Needs labelled training data and an ONNX model.',
  options,
  formats: ['onnx'],
  tolerance: LOSSY_TOLERANCE,
  async run(model, opts, ctx): Promise<PassResult> {
    const data = checkTrainable(model, ctx.data);
    const layers = selectLayers(model, opts).filter((l) => l.tensor.dtype === 'float32');
    checkKeys(layers, Object.keys(opts.layers), 'layers');
    const base = opts.distribution === 'global' ? globalRates(layers, opts.sparsity) : new Map(layers.map((l) => [l, opts.sparsity]));
    const final = new Map(layers.map((l) => [l, perLayer(l, opts.layers, base.get(l) ?? opts.sparsity)]));
    const notes: string[] = [];
    // The model as it was: the teacher of every fine-tuning step.
    const teacher = opts.distill ? encodeOnnx(model) : undefined;
    for (let t = 1; t <= opts.steps; t++) {
      const share = 1 - (1 - t / opts.steps) ** 3;
      for (const layer of layers) {
        const values = readFloats(layer.tensor);
        pruneByMagnitude(values, (final.get(layer) ?? 0) * share);
        writeFloats(layer.tensor, values);
      }
      ctx.onProgress?.({ stage: 'optimize', fraction: (t - 1) / opts.steps, message: `Pruning step ${t}/${opts.steps}: fine-tuning` });
      if (opts.epochsPerStep > 0) {
        const trained = await fineTuneCompressed(model, data, { ...opts, epochs: opts.epochsPerStep, halfCentroids: false, teacher }, ctx);
        const last = trained.history.at(-1);
        if (last?.trainAccuracy !== undefined)
          notes.push(
            `Step ${t}: ${(100 * share * opts.sparsity).toFixed(0)} % of the target reached, training accuracy ${(100 * last.trainAccuracy).toFixed(2)} %.`,
          );
      }
    }
    let zeros = 0;
    const perLayerNotes = layers.map((l) => {
      const z = countZeros(readFloats(l.tensor));
      zeros += z;
      return `${l.name} ${((100 * z) / l.tensor.elementCount).toFixed(1)} %`;
    });
    const sparsity = sparsityStats(model, layers);
    notes.unshift(`Zero weights per layer: ${perLayerNotes.join(', ')}.`);
    notes.unshift(sparsityWords(sparsity, layers.length, weightLayers(model).length));
    return {
      changed: zeros > 0,
      stats: {
        layersPruned: layers.length,
        weightsZero: zeros,
        ...sparsity,
        steps: opts.steps,
      },
      notes,
    };
  },
});
