import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { OptimizeReport } from '../../../contract/optimize';
import { TrainArgs, TrainProgressDetail, type EpochRecord, type RecoverArgs, type RecoverReport } from '../../../contract/train';
import type { Recipe } from '../../../contract/recipes';
import type { EngineContext } from '../../context';
import { inputLayout } from '../../data/input-layout';
import { openData } from '../../data/open-data';
import { LitheError } from '../../errors';
import { loadModel, type LoadedModel } from '../../formats/model-io';
import { optimizeModel } from '../../optimize/optimize-model';
import { readOptimizeRun } from '../../runs/read-optimize-run';
import { measureFile, type Measure } from '../measure';
import { loadSamples, type Samples } from '../samples';
import { openTeacher } from '../teacher';
import { runTraining } from '../training-run';
import { recoveryPlan, retrainingOf } from './recovery-plan';

/**
 * "Retrain to recover accuracy" for a finished optimization run. A quantized result is made again
 * from the original with the quantization step trained (fake quantization while fine-tuning); any
 * other result is fine-tuned towards the original's answers (and the labels), pruned weights kept
 * at zero. The original, the optimized model and the retrained one are then measured on the same
 * samples, and `recovery.json` is written into the new run folder beside its report.
 */
export async function recoverAccuracy(args: RecoverArgs & { outDir: string }, ctx: EngineContext = {}): Promise<RecoverReport> {
  const started = performance.now();
  const previous = await readOptimizeRun(args.run);
  const original = previous.input.path;
  const optimized = previous.output.path;
  for (const [file, what] of [
    [original, 'original model'],
    [optimized, 'optimized model'],
  ] as const)
    if (!existsSync(file))
      throw new LitheError('invalid-argument', `The run's ${what} is no longer there; it cannot be retrained.`, { file });
  const plan = recoveryPlan(previous.recipe);
  const runDir = resolve(args.outDir);
  const existedEmpty = await refuseNonEmpty(runDir);
  try {
    return await retrain(args, ctx, { previous, plan, runDir, started });
  } catch (error) {
    // A failed recovery leaves the folder as it found it, so the same --out can be given again.
    await rm(runDir, { recursive: true, force: true });
    if (existedEmpty) await mkdir(runDir).catch(() => undefined);
    throw error;
  }
}

// Retrains into `runDir` (new or empty), measures the three models and writes recovery.json.
async function retrain(
  args: RecoverArgs & { outDir: string },
  ctx: EngineContext,
  run: { previous: OptimizeReport; plan: ReturnType<typeof recoveryPlan>; runDir: string; started: number },
): Promise<RecoverReport> {
  const { previous, plan, runDir, started } = run;
  const original = previous.input.path;
  const optimized = previous.output.path;
  const history: EpochRecord[] = [];
  const watched: EngineContext = {
    ...ctx,
    onProgress: (progress) => {
      const detail = TrainProgressDetail.safeParse(progress.detail);
      if (detail.success && detail.data.kind === 'epoch') history.push(detail.data.record);
      ctx.onProgress?.(progress);
    },
  };
  const common = {
    data: args.data,
    ...(args.labels ? { labels: args.labels } : {}),
    ...(args.normalize ? { normalize: args.normalize } : {}),
  };
  let outputPath: string;
  const stepNotes: string[] = [];
  if (plan.method === 'quantization-aware') {
    const steps = plan.steps({
      epochs: args.epochs,
      lr: args.lr,
      batchSize: args.batchSize,
      threads: args.threads,
      seed: args.seed,
      limit: args.limit,
    });
    const recipe: Recipe = { ...previous.recipe, name: `${previous.recipe.name}-retrained`, steps };
    // The accuracy that counts is measured below on the held-out samples; the run's own check uses a few training samples.
    const report = await optimizeModel(
      { model: original, outDir: runDir, recipe, format: previous.output.format, ...common, evalLimit: 1000 },
      watched,
    );
    outputPath = report.output.path;
    stepNotes.push(...undoneNotes(report, steps));
  } else {
    const report = await runTraining(
      {
        kind: 'distill',
        args: {
          ...TrainArgs.parse({
            ...common,
            model: optimized,
            ...(args.valData ? { valData: args.valData } : {}),
            ...(args.valLabels ? { valLabels: args.valLabels } : {}),
            epochs: args.epochs,
            lr: args.lr,
            batchSize: args.batchSize,
            ...(args.limit ? { limit: args.limit } : {}),
            threads: args.threads,
            seed: args.seed,
            schedule: 'cosine',
            // The optimized model's normalization statistics stay as they are: a small fine-tune should not move them.
            batchNorm: 'frozen',
          }),
          outDir: runDir,
        },
        distill: { teacher: original, temperature: 4, alpha: 0.5 },
        keepZeros: true,
      },
      watched,
    );
    outputPath = report.output.path;
  }

  ctx.onProgress?.({ stage: 'verify', fraction: 1, message: 'Measuring the original, the optimized and the retrained model' });
  const originalFile = await loadModel(original, ctx);
  const optimizedFile = await loadModel(optimized, ctx);
  const outputFile = await loadModel(outputPath, ctx);
  const heldOut = args.valData !== undefined;
  const samples = await loadSamples(
    await openData(
      {
        path: args.valData ?? args.data,
        labels: heldOut ? (args.valLabels ?? args.labels) : args.labels,
        ...(args.normalize ? { normalize: args.normalize } : {}),
      },
      inputLayout(originalFile.model),
    ),
    { limit: 10000 },
    ctx,
  );
  const [reference, before, after] = await measureAll(originalFile, [optimizedFile, outputFile], samples);
  const measure = (m: Measure): number | undefined => (samples.labels ? m.accuracy : m.agreement);
  const gain = (measure(after) ?? 0) - (measure(before) ?? 0);
  const outputBytes = new Uint8Array(await readFile(outputPath));
  const report: RecoverReport = {
    schema: 'lithe.recover/1',
    createdAt: new Date().toISOString(),
    runDir,
    method: plan.method,
    original,
    optimized,
    output: {
      path: outputPath,
      format: outputFile.format,
      sizeBytes: outputBytes.byteLength,
      sha256: createHash('sha256').update(outputBytes).digest('hex'),
    },
    measuredOn: { description: samples.description, heldOut },
    reference,
    before,
    after,
    improved: gain > 0,
    history,
    notes: [
      ...plan.notes,
      ...stepNotes,
      ...(heldOut ? [] : ['Measured on the training data (no --val-data was given): the figures after retraining flatter the model.']),
      gain > 0
        ? `Retraining won back ${(gain * 100).toFixed(2)} points of ${samples.labels ? 'accuracy' : 'agreement with the original'}.`
        : `Retraining did not raise ${samples.labels ? 'the accuracy' : 'the agreement with the original'} (change ${(gain * 100).toFixed(2)} points); keep the earlier result.`,
    ],
    durationMs: performance.now() - started,
  };
  await writeFile(join(runDir, 'recovery.json.partial'), `${JSON.stringify(report, null, 2)}\n`);
  await rename(join(runDir, 'recovery.json.partial'), join(runDir, 'recovery.json'));
  return report;
}

// True when `dir` is an empty folder; nothing when it does not exist; refuses a file or a folder with files in it.
async function refuseNonEmpty(dir: string): Promise<boolean> {
  const entries = await readdir(dir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw new LitheError('invalid-argument', 'The output path exists and is not a folder Lithe can write into.', { file: dir });
  });
  if (entries && entries.length > 0)
    throw new LitheError(
      'invalid-argument',
      'The output folder already exists and is not empty; choose a new folder (Lithe never writes over earlier results).',
      { file: dir },
    );
  return entries !== undefined;
}

// Says which steps of the rerun were undone, the trained quantization step first: its result then is not quantized by it.
function undoneNotes(report: OptimizeReport, steps: Recipe['steps']): string[] {
  const trained = new Set(steps.map((s) => s.pass).filter((pass) => retrainingOf(pass) === 'trained-form'));
  const undone = report.steps.filter((s) => s.undone);
  return [...undone.filter((s) => trained.has(s.pass)), ...undone.filter((s) => !trained.has(s.pass))].map((s) =>
    trained.has(s.pass)
      ? `Even after training, the quantization step (${s.pass}) was undone again: ${s.undone!.reason}. The retrained model is not quantized by it.`
      : `In the rerun, the step ${s.pass} was undone: ${s.undone!.reason}.`,
  );
}

// The original and each other model in its own runtime on the same samples; agreement is with the original.
async function measureAll(first: LoadedModel, others: [LoadedModel, LoadedModel], samples: Samples): Promise<[Measure, Measure, Measure]> {
  const reference = await openTeacher(
    new Uint8Array(await readFile(first.facts.path)),
    first.format,
    { threads: 0 },
    first.model,
    first.facts.path,
  );
  const measure = async (m: LoadedModel): Promise<Measure> =>
    measureFile(
      {
        bytes: new Uint8Array(await readFile(m.facts.path)),
        format: m.format,
        file: m.facts.path,
        fixedBatch: inputLayout(m.model).fixedBatch,
        role: 'the model',
      },
      samples,
      reference,
    );
  try {
    return [await measure(first), await measure(others[0]), await measure(others[1])];
  } finally {
    await reference.release();
  }
}
