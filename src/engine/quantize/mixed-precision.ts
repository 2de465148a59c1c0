import { z } from 'zod';
import { inferShapes } from '../ir/shape-inference';
import { definePass } from '../passes/pass';
import { mixedBuilder } from './mixed-builders';
import { CandidateScorer, layerGroups, sensitivity, type MixedTarget } from './mixed-search';
import { halfStoredFloatLayers } from './kept-float-storage';
import { decodeModel } from './model-copy';
import { adoptModel } from './onnx/adopt-model';
import { calibrationSource } from './pass-data';
import { StaticInt8Options } from './static-int8';
import { QUANTIZATION_TOLERANCE } from './tolerance';

/** Samples each layer's sensitivity is measured on: enough to rank the layers, a fraction of the time of all of them. */
export const RANKING_SAMPLES = 8;

/**
 * Accuracy-aware mixed precision: measures how much each layer suffers from int8 on its own, then
 * keeps the most sensitive layers in float, one by one, until the target holds.
 */
export const mixedPrecision = definePass({
  name: 'quantize-mixed',
  title: 'Quantize to int8, keeping sensitive layers in float',
  description:
    'Quantizes the model to 8 bits like the calibrated int8 step, then checks the result on your data. If it misses your target, ' +
    'it measures which layers lose the most when quantized and keeps just those in full precision until the target is met. The ' +
    'report lists the layers kept in float.',
  options: StaticInt8Options.extend({
    metric: z
      .enum(['accuracy', 'top1Agreement', 'cosine'])
      .default('top1Agreement')
      .describe('What must hold: accuracy (needs labels), agreement with the original’s top class, or output cosine similarity.'),
    target: z
      .number()
      .min(0)
      .default(0.99)
      .describe(
        'For accuracy: the largest allowed drop in percentage points (e.g. 0.5); otherwise the lowest allowed value (e.g. 0.99 agreement, 0.999 cosine).',
      ),
    evalSamples: z.number().int().min(1).default(1000).describe('Samples used to check each candidate.'),
    maxFloatLayers: z.number().int().min(0).default(16).describe('Give up after keeping this many layers in float.'),
  }),
  formats: ['onnx', 'tflite'],
  tolerance: QUANTIZATION_TOLERANCE,
  needsData: true,
  async run(model, options, ctx) {
    if (model.format !== 'tflite') inferShapes(model);
    const { source, fixedBatch, notes } = calibrationSource(model, ctx.data, options.samples);
    const builder = await mixedBuilder(
      model,
      source,
      {
        calibration: {
          method: options.calibration,
          percentile: options.percentile,
          samples: options.samples,
          ...(fixedBatch ? { fixedBatch } : {}),
        },
        activationType: options.activationType,
        symmetricActivations: options.symmetric,
        perChannel: options.perChannel,
        io: options.io,
      },
      ctx,
    );
    // An already-integer model (or one whose layers all sit in control-flow branches): nothing to keep in float or not.
    if (!builder.quantizesAnything) return { changed: false, stats: { layersQuantized: 0 }, notes: [...notes, ...builder.notes] };
    const target: MixedTarget = { metric: options.metric, value: options.target };
    if (target.metric === 'accuracy' && !source.labeled) {
      notes.push('The data has no labels: agreement with the original (≥ 99 %) is used instead of accuracy.');
    }
    const scorer = await CandidateScorer.open(builder.floatBytes, source, options.evalSamples, fixedBatch, {
      format: builder.format,
      cosineFloor: QUANTIZATION_TOLERANCE.cosine,
    });
    const build = (exclude: readonly string[]): Promise<Uint8Array> => builder.build(exclude, ctx);
    // The kept layers' float32 weights stored float16, when the target still holds so.
    const compact = async (bytes: Uint8Array): Promise<Uint8Array> => {
      const half = halfStoredFloatLayers(builder.format, bytes);
      if (!half) return bytes;
      if (scorer.meets(await scorer.measure(half.bytes, ctx), target)) {
        notes.push(
          `The weights left in float are stored in float16 (${half.tensors} tensors): half their bytes, and the target still holds.`,
        );
        return half.bytes;
      }
      notes.push('Storing the weights left in float as float16 moved the results beyond the target: they stay float32.');
      return bytes;
    };
    try {
      const base = [...options.exclude];
      let best = await build(base);
      if (scorer.meets(await scorer.measure(best, ctx), target)) return finish(await compact(best), [], notes, []);
      // Sensitivity: quantize one weight layer at a time (everything else float), ranked on the first few samples; the
      // sets of layers kept in float are then checked on every sample.
      const groups = layerGroups(model.graph, builder.kinds).filter((g) => !base.includes(g.layer));
      const everything = model.graph.nodes
        .filter((n) => builder.kinds.weight(n) || builder.kinds.activation(n))
        .map((n) => n.name || n.outputs[0]?.name || '');
      const ranked: Array<{ name: string; members: string[]; error: number }> = [];
      for (const [i, group] of groups.entries()) {
        ctx.onProgress?.({ stage: 'sensitivity', fraction: i / groups.length, message: `Layer ${group.layer}` });
        const only = await build(everything.filter((o) => !group.members.includes(o)));
        ranked.push({ name: group.layer, members: group.members, error: sensitivity(await scorer.measure(only, ctx, RANKING_SAMPLES)) });
      }
      ranked.sort((a, b) => b.error - a.error);
      const kept: string[] = [];
      const keptMembers: string[] = [];
      for (const layer of ranked.slice(0, options.maxFloatLayers)) {
        kept.push(layer.name);
        keptMembers.push(...layer.members);
        best = await build([...base, ...keptMembers]);
        if (scorer.meets(await scorer.measure(best, ctx), target)) {
          // Fewest layers: drop any kept layer the target does not need after all (earliest kept last).
          for (const candidate of [...kept].reverse().slice(1)) {
            const rest = ranked.filter((r) => kept.includes(r.name) && r.name !== candidate).flatMap((r) => r.members);
            const trial = await build([...base, ...rest]);
            if (scorer.meets(await scorer.measure(trial, ctx), target)) {
              kept.splice(kept.indexOf(candidate), 1);
              best = trial;
            }
          }
          return finish(await compact(best), kept, notes, ranked);
        }
      }
      notes.push(`The target was not reached with ${kept.length} layer(s) in float; the model is returned with them in float.`);
      return finish(best, kept, notes, ranked);
    } finally {
      await scorer.dispose();
    }

    // The kept layers are listed as skipped candidates with their measured sensitivity, so the exact keep-in-float list is in the report.
    function finish(bytes: Uint8Array, kept: string[], out: string[], ranked: ReadonlyArray<{ name: string; error: number }>) {
      adoptModel(model, decodeModel(model.format, bytes));
      out.push(
        kept.length ? `Kept in float (most sensitive first): ${kept.join(', ')}.` : 'Full int8 meets the target: no layer needed float.',
      );
      const skipped = [
        ...options.exclude.map((node) => ({ node, reason: 'kept in float by the recipe' })),
        ...kept.map((node) => {
          const error = ranked.find((r) => r.name === node)?.error ?? 0;
          return {
            node,
            reason: `kept in float: quantized alone, it moved the result by ${error.toFixed(4)} (1 − the worst output cosine + 1 − top-1 agreement, on the first ${RANKING_SAMPLES} samples)`,
          };
        }),
      ];
      return { changed: true, stats: { layersInFloat: kept.length, layersMeasured: ranked.length }, notes: out, skipped };
    }
  },
});
