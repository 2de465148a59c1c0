// prune-channels — structured pruning: whole filters leave the model, so tensors, MACs and time shrink.
//
//   before:  Conv A (16 filters) → Relu → MaxPool → Conv B [32, 16, 3, 3] → … → Flatten → Gemm [128, 1568]
//   after:   Conv A  (8 filters) → Relu → MaxPool → Conv B [32,  8, 3, 3] → … → Flatten → Gemm [128,  784]
//
//   per layer: keep ⌈(1 − rate)·C⌉ channels (rounded up to `multipleOf`) of highest importance
//   (L1 or L2 norm of the filter, or distance to the others: geometric median), cut them out of the
//   layer, of everything per-channel on the way (BatchNormalization, bias, depthwise convolutions)
//   and of the readers' weights (Flatten → Gemm in blocks of H·W), then fine-tune to recover.
//
// Layers whose channels meet other tensors (residual Add, Concat) or the model's outputs are left
// as they are, each with the reason.
import { z } from 'zod';
import { encodeOnnx } from '../../formats/onnx';
import { definePass, type PassResult, type SkippedCandidate } from '../../passes/pass';
import { checkTrainable, fineTuneCompressed } from '../finetune/fine-tune-compressed';
import { channelGroup, type ChannelGroup } from '../structured/channel-groups';
import { channelsToKeep, FILTER_CRITERIA, filterScores, filtersAlong } from '../structured/filter-importance';
import { removeChannels } from '../structured/remove-channels';
import { readFloats } from '../weights/float-data';
import { fineTuneOptions } from './fine-tune-options';
import { checkKeys, layerSelection, perLayer, selectLayers } from './layer-options';
import { LOSSY_TOLERANCE } from './lossy-tolerance';

const rate = z.number().min(0).max(0.95);

const options = z.object({
  ratio: rate.default(0.5).describe('Share of each layer’s output channels to remove.'),
  layers: z.record(z.string(), rate).default({}).describe('Ratios for particular layers, e.g. {"conv2": 0.75, "fc1": 0.5}.'),
  criterion: z
    .enum(FILTER_CRITERIA)
    .default('l1')
    .describe('Which channels go: smallest L1 or L2 norm, or those closest to all others (geometric median).'),
  multipleOf: z
    .number()
    .int()
    .min(1)
    .max(64)
    .default(1)
    .describe(
      'Round the channels kept up to a multiple of this (vector units like 4 or 8). ONNX Runtime on x86 computes convolutions in ' +
        'blocks of 8 (AVX2) or 16 (AVX-512) channels and pads other counts back to the block, so cutting below a multiple saves no time there.',
    ),
  epochs: z.number().min(0).max(100).default(2).describe('Fine-tuning after the cut (0: none; needs labelled data otherwise).'),
  ...fineTuneOptions,
  ...layerSelection,
});

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

function parameterCount(groups: ChannelGroup[]): number {
  const tensors = new Set(groups.flatMap((g) => g.cuts.map((c) => c.tensor)));
  return [...tensors].reduce((n, t) => n + t.elementCount, 0);
}

/** Removes whole output channels of convolutions and fully connected layers, then fine-tunes. */
export const pruneChannels = definePass({
  name: 'prune-channels',
  title: 'Remove channels (structured pruning)',
  description:
    'Removes the least important filters of convolutions and neurons of fully connected layers, together with everything that reads them, ' +
    'so the model really has fewer weights and operations: smaller file, less memory, faster. Then trains on your data to win back accuracy. ' +
    'Layers joined to others by residual connections are left as they are (the report says which).',
  options,
  formats: ['onnx'],
  tolerance: LOSSY_TOLERANCE,
  async run(model, opts, ctx): Promise<PassResult> {
    const data = opts.epochs > 0 ? checkTrainable(model, ctx.data) : undefined;
    const layers = selectLayers(model, opts);
    checkKeys(layers, Object.keys(opts.layers), 'layers');
    const skipped: SkippedCandidate[] = [];
    const plans: Array<{ group: ChannelGroup; keep: number[] }> = [];
    for (const layer of layers) {
      const ratio = perLayer(layer, opts.layers, opts.ratio);
      if (ratio === 0) continue;
      const group = channelGroup(layer);
      if (typeof group === 'string') {
        skipped.push({ node: layer.name, reason: group });
        continue;
      }
      const count = Math.min(group.channels, Math.ceil(Math.ceil((1 - ratio) * group.channels) / opts.multipleOf) * opts.multipleOf);
      if (count >= group.channels) continue;
      const scores = filterScores(filtersAlong(readFloats(layer.tensor), layer.tensor.dims, layer.outAxis), opts.criterion);
      plans.push({ group, keep: channelsToKeep(scores, Math.max(1, count)) });
    }
    if (plans.length === 0)
      return { changed: false, stats: { layersPruned: 0 }, notes: ['No layer’s channels could be removed.'], skipped };
    const teacher = data && opts.distill ? encodeOnnx(model) : undefined;
    const before = parameterCount(plans.map((p) => p.group));
    for (const { group, keep } of plans) removeChannels(group, keep);
    const after = parameterCount(plans.map((p) => p.group));
    const notes = [
      `Channels kept: ${plans.map((p) => `${p.group.layer.name} ${p.keep.length} of ${p.group.channels}`).join(', ')} (by ${opts.criterion}).`,
      `The layers involved hold ${after.toLocaleString('en-US')} weights instead of ${before.toLocaleString('en-US')}.`,
    ];
    let epochs = 0;
    if (data && opts.epochs > 0) {
      const trained = await fineTuneCompressed(model, data, { ...opts, halfCentroids: false, teacher }, ctx);
      epochs = trained.history.length;
      const acc = trained.history.at(-1)?.trainAccuracy;
      notes.push(`Fine-tuned ${plural(epochs, 'epoch')}${acc === undefined ? '' : `, training accuracy ${(100 * acc).toFixed(2)} %`}.`);
    } else notes.push('Not fine-tuned (epochs 0): expect a drop in accuracy.');
    const channelsRemoved = plans.reduce((n, p) => n + p.group.channels - p.keep.length, 0);
    return {
      changed: true,
      stats: { layersPruned: plans.length, channelsRemoved, weightsRemoved: before - after, epochs },
      notes,
      skipped,
    };
  },
});
