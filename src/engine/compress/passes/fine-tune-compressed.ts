// fine-tune-compressed — training that keeps a compressed model compressed.
//
//   before each step:  w_i ← 0 for pruned weights;  w_i ← mean of its cluster for shared weights
//   (a cluster's value moves by the mean of its members' updates: shared-weight training)
//
// At the end shared values are rounded to float16 so the .lithe package stores them exactly.
import { z } from 'zod';
import { definePass, type PassResult } from '../../passes/pass';
import { checkTrainable, fineTuneCompressed } from '../finetune/fine-tune-compressed';
import { fineTuneOptions } from './fine-tune-options';
import { LOSSY_TOLERANCE } from './lossy-tolerance';

/** Fine-tunes while keeping pruned weights at zero and shared weights shared. */
export const fineTuneCompressedPass = definePass({
  name: 'fine-tune-compressed',
  title: 'Fine-tune, keeping zeros and shared values',
  description:
    'Trains the model on your data to win back accuracy after pruning or clustering, while the pruned weights stay zero and each layer keeps its few shared values. ' +
    'Needs labelled training data and an ONNX model.',
  options: z.object({
    epochs: z.number().min(0.01).max(100).default(2),
    lr: fineTuneOptions.lr.default(0.0005),
    batchSize: fineTuneOptions.batchSize,
    samples: fineTuneOptions.samples,
  }),
  formats: ['onnx'],
  tolerance: LOSSY_TOLERANCE,
  async run(model, opts, ctx): Promise<PassResult> {
    const data = checkTrainable(model, ctx.data);
    const result = await fineTuneCompressed(model, data, { ...opts, halfCentroids: true }, ctx);
    const last = result.history.at(-1);
    const kept = result.structures.filter((s) => s.keep).length;
    const shared = result.structures.filter((s) => s.cluster).length;
    const notes = [
      `Trained ${result.history.length} epoch${result.history.length === 1 ? '' : 's'}${last?.trainAccuracy !== undefined ? `, training accuracy ${(100 * last.trainAccuracy).toFixed(2)} %` : ''}; ` +
        `zeros kept in ${kept} layer${kept === 1 ? '' : 's'}, shared values in ${shared}.`,
    ];
    return { changed: true, stats: { epochs: result.history.length, trainedParameters: result.trainedParameters }, notes };
  },
});
