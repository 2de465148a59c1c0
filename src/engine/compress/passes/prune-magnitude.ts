// prune-magnitude — one-shot magnitude pruning with per-layer rates.
//
//   before:  W = [ 0.41 -0.02  0.07 -0.88 ]     (a layer's weights, rate 0.5)
//   after:   W = [ 0.41  0     0    -0.88 ]     the ⌊0.5·n⌉ smallest |w| set to zero
//
// Rates: one share for the model, spread uniformly, by one global magnitude threshold, or by measured
// sensitivity (allocate-rates.ts: layers that lose little take more zeros); a table by layer name ({"fc1": 0.95, "c2": 0.8}), or `auto`: a
// sensitivity scan picks the highest rate per layer that keeps the target (see choose-rates.ts).
// Rates given as numbers are not measured while choosing them: the pruned model is run once against the original, and
// when its worst output cosine falls below the floor of a pruning step, a note says so with the highest per-layer cap that
// keeps it (rate-that-holds.ts); the pipeline then undoes the step.
// Pattern N:M keeps the N largest of every M weights along the input axis (2:4 for sparse tensor cores).
// Zeros stay in dense tensors (same memory and speed); the .lithe package and TFLite sparse tensors store them compactly.
import { z } from 'zod';
import { definePass, type PassResult } from '../../passes/pass';
import { readFloats, writeFloats } from '../weights/float-data';
import { weightLayers, type WeightLayer } from '../weights/weight-layers';
import { sparsityStats, sparsityWords } from '../prune/model-sparsity';
import { allocateRates, type AllocatedRates } from '../prune/allocate-rates';
import { chooseRates } from '../prune/choose-rates';
import { globalRates } from '../prune/global-rates';
import { defaultTarget, describeTarget, FidelityProbe } from '../prune/fidelity-probe';
import { pruneByMagnitude, pruneNofM } from '../prune/magnitude';
import { checkAskedRates } from '../prune/rate-that-holds';
import { checkKeys, layerSelection, perLayer, selectLayers, targetOption } from './layer-options';
import { LOSSY_TOLERANCE } from './lossy-tolerance';

const rate = z.number().min(0).max(0.999);

const options = z.object({
  sparsity: z
    .union([rate, z.literal('auto')])
    .default('auto')
    .describe('Share of weights set to zero, or "auto" (per layer, as much as each layer can take while the target holds).'),
  distribution: z
    .enum(['uniform', 'sensitivity', 'global'])
    .default('uniform')
    .describe(
      'How a numeric sparsity is spread: "uniform" (every layer the same), "sensitivity" (measured per layer: layers that lose little take more), ' +
        '"global" (one magnitude threshold over all layers).',
    ),
  layers: z.record(z.string(), rate).default({}).describe('Rates for particular layers, e.g. {"fc1": 0.95, "conv2": 0.8}.'),
  pattern: z
    .string()
    .regex(/^(unstructured|\d+:\d+)$/)
    .default('unstructured')
    .describe('"unstructured", or N:M such as "2:4" (N of every M weights kept).'),
  target: targetOption,
  samples: z.number().int().min(1).max(10000).default(32).describe('Samples for the sensitivity scan.'),
  ...layerSelection,
});

const pct = (x: number): string => `${(100 * x).toFixed(x >= 0.995 || x < 0.1 ? 1 : 0)} %`;

function describeLayers(results: Array<{ layer: WeightLayer; zeros: number }>): string {
  return results.map(({ layer, zeros }) => `${layer.name} ${pct(zeros / layer.tensor.elementCount)}`).join(', ');
}

/** What a sensitivity spread of `sparsity` came to, in words. */
function spreadWords(spread: AllocatedRates, sparsity: number): string {
  if (spread.uniform) return `the measured spread kept the outputs less close than ${pct(sparsity)} in every layer, which is used instead.`;
  if (spread.reached + 1e-9 >= sparsity) return `${pct(spread.reached)} of these layers' weights are zero.`;
  return `only ${pct(spread.reached)} of these layers' weights could be zeroed, short of ${pct(sparsity)}: higher rates break single layers.`;
}

/** Why rates given as numbers break the model, and what cap keeps it. */
function breaksWords(
  uniform: number | undefined,
  cosine: number,
  floor: number,
  holds: { rate: number; cosine: number },
  random: boolean,
  samples: number,
): string {
  const asked = uniform !== undefined ? `${pct(uniform)} of the weights in every layer` : 'The rates given';
  const on = random ? `${samples} random samples` : `${samples} samples of the data`;
  const cap =
    holds.rate > 0
      ? `At most ${pct(holds.rate)} per layer keeps it (cosine ${holds.cosine.toFixed(4)}). `
      : 'Even 30 % per layer breaks it. ';
  return (
    `${asked} pruned at once break this model: the worst output cosine is ${cosine.toFixed(4)} on ${on}, below the ${floor} ` +
    `a pruning step may keep. ${cap}For more zeros, let the rates be chosen per layer (sparsity "auto" or distribution "sensitivity") ` +
    'or prune gradually with fine-tuning on data (prune-gradual). To keep this result anyway and judge it yourself, ' +
    'run with keepBeyondTolerance (lithe optimize --keep-beyond-tolerance): it is then reported as changed.'
  );
}

/** Prunes weights by magnitude, one-shot: per-layer rates from the options or from a sensitivity scan. */
export const pruneMagnitude = definePass({
  name: 'prune-magnitude',
  title: 'Prune small weights (magnitude)',
  description:
    'Sets the weights closest to zero to exactly zero, layer by layer: by a rate you give (for all layers or per layer), ' +
    'by an N:M pattern such as 2:4, or by rates chosen automatically from how much each layer can take. ' +
    'The zeros stay in place, so memory and speed do not change; the .lithe package (and zip) store them compactly, TFLite can store them sparse.',
  options,
  formats: ['onnx', 'tflite'],
  tolerance: LOSSY_TOLERANCE,
  async run(model, opts, ctx): Promise<PassResult> {
    const layers = selectLayers(model, opts);
    checkKeys(layers, Object.keys(opts.layers), 'layers');
    const notes: string[] = [];
    const nm = /^(\d+):(\d+)$/.exec(opts.pattern);
    const rates = new Map<WeightLayer, number>();
    let stats: Record<string, number> = {};
    if (nm) {
      const [keep, group] = [Number(nm[1]), Number(nm[2])];
      if (!(keep < group && keep > 0)) throw new Error(`pattern ${opts.pattern}: N must be between 1 and M − 1`);
      const skipped = layers.filter((l) => l.inAxis === undefined).map((l) => l.name);
      if (skipped.length) notes.push(`N:M needs an input axis; depthwise layers left as they are: ${skipped.join(', ')}.`);
    } else {
      const free = layers.filter((l) => perLayer(l, opts.layers, undefined) === undefined);
      for (const l of layers) rates.set(l, perLayer(l, opts.layers, opts.sparsity === 'auto' ? 0 : opts.sparsity));
      if (opts.sparsity !== 'auto' && opts.distribution === 'global')
        for (const [l, r] of globalRates(free, opts.sparsity)) rates.set(l, r);
      const sparsity = opts.sparsity;
      if (free.length && (sparsity === 'auto' || opts.distribution === 'sensitivity')) {
        const target = opts.target ?? defaultTarget(ctx.data);
        const probe = await FidelityProbe.open(model, ctx, opts.samples);
        try {
          const runs = (n: number): string => `${n} runs on ${opts.samples} samples`;
          let scan: { rates: Map<WeightLayer, number>; evaluations: number };
          if (sparsity === 'auto') {
            const chosen = await chooseRates(model, free, probe, target, ctx);
            notes.push(
              `Rates chosen by a sensitivity scan (${runs(chosen.evaluations)}) to keep ${describeTarget(target)}` +
                (chosen.margin >= 0 ? '.' : ': not reached even with no pruning of the scanned layers.'),
            );
            scan = chosen;
          } else {
            const spread = await allocateRates(model, free, probe, target, sparsity, ctx);
            notes.push(
              `Rates spread by a sensitivity scan (${runs(spread.evaluations)}, measured for ${describeTarget(target)}): ${spreadWords(spread, sparsity)}`,
            );
            scan = spread;
          }
          notes.push(...probe.notes);
          for (const [l, r] of scan.rates) rates.set(l, r);
          stats.scanRuns = scan.evaluations;
        } finally {
          await probe.dispose();
        }
      }
    }
    // Rates given as numbers were not measured: the pruned model is checked once against the original below.
    const unmeasured = !nm && stats.scanRuns === undefined && [...rates.values()].some((r) => r > 0);
    const check = unmeasured ? await FidelityProbe.open(model, ctx, opts.samples) : undefined;
    const asked = new Map<WeightLayer, { rate: number; original: Float32Array }>();
    const results: Array<{ layer: WeightLayer; zeros: number }> = [];
    try {
      for (const layer of layers) {
        const values = readFloats(layer.tensor);
        if (check && (rates.get(layer) ?? 0) > 0) asked.set(layer, { rate: rates.get(layer) ?? 0, original: Float32Array.from(values) });
        const before = values.filter((v) => v === 0).length;
        let zeros = before;
        if (nm && layer.inAxis !== undefined) zeros = pruneNofM(values, layer.tensor.dims, layer.inAxis, Number(nm[1]), Number(nm[2]));
        else if (!nm && (rates.get(layer) ?? 0) > 0) zeros = pruneByMagnitude(values, rates.get(layer) ?? 0);
        if (zeros === before) continue;
        writeFloats(layer.tensor, values);
        results.push({ layer, zeros });
      }
      if (check && results.length) {
        const floor = LOSSY_TOLERANCE.cosine ?? 0.5;
        const askedRates = new Set([...asked.values()].map((a) => a.rate));
        const uniformRate = askedRates.size === 1 && asked.size === layers.length ? [...askedRates][0] : undefined;
        const verdict = await checkAskedRates(model, asked, check, floor, ctx);
        stats.worstCosine = Math.round(verdict.cosine * 1e4) / 1e4;
        if (verdict.holds) notes.push(breaksWords(uniformRate, verdict.cosine, floor, verdict.holds, check.notes.length > 0, opts.samples));
      }
    } finally {
      await check?.dispose();
    }
    const pruned = results.reduce((n, r) => n + r.zeros, 0);
    const sparsity = sparsityStats(
      model,
      results.map((r) => r.layer),
    );
    if (results.length) {
      notes.unshift(`Zero weights per layer: ${describeLayers(results)}.`);
      notes.unshift(sparsityWords(sparsity, results.length, weightLayers(model).length));
    }
    if (results.length && model.format !== 'tflite')
      notes.push(
        'ONNX Runtime keeps and multiplies the zeros like other weights: memory and speed are as before; the .lithe package stores them compactly.',
      );
    stats = {
      ...stats,
      layersPruned: results.length,
      weightsZero: pruned,
      ...sparsity,
    };
    return { changed: results.length > 0, stats, notes };
  },
});
