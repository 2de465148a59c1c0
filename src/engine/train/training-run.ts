import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import type { LossTerm, TrainArgs, TrainReport } from '../../contract/train';
import type { EngineContext } from '../context';
import { inputLayout } from '../data/input-layout';
import { openData } from '../data/open-data';
import { LitheError } from '../errors';
import { encodeModel, extensionOf, loadModel, stemOf, type LoadedModel, type ModelFormat } from '../formats/model-io';
import { convertModelFormat } from '../formats/tflite';
import type { Model } from '../ir/model';
import { toolVersions } from '../optimize/versions';
import { seededRandom } from '../util/seeded-random';
import { fineTune, type FineTuneResult } from './fine-tune';
import { randomInitialWeights } from './init-weights';
import { applyZeroMasks, zeroMasks } from './keep-zeros';
import { measureFile, type Measure } from './measure';
import { renderTrainReportHtml } from './report-html';
import { holdOut, loadSamples, withoutLabels, type Samples } from './samples';
import { openTeacher, type Teacher } from './teacher';
import { defaultTrainable } from './trainable';
import { resolvedRecipe } from './default-recipe';
import { applyWeights } from './write-back';
import { matchStatistics } from './distill/match-statistics';
import { widthStudent } from './distill/width-student';

/** What a training run trains and from what. */
export interface TrainingRunSpec {
  kind: 'train' | 'distill';
  /** `model` is the file the run starts from: the model to train, or the teacher a student is derived from. */
  args: TrainArgs & { outDir: string };
  /** Derive the student from `args.model` by keeping this fraction of every layer's channels. */
  width?: number;
  /**
   * Distillation: the teacher file, and the loss (KL at `temperature`; with labels `alpha`·KL + (1 − alpha)·CE;
   * without labels but with `pseudoLabels`, `alpha`·KL + (1 − alpha)·CE on the teacher's confident answers).
   */
  distill?: { teacher: string; temperature: number; alpha: number; pseudoLabels?: number };
  /** Keep the weights that are exactly zero at zero (retraining a pruned model keeps it pruned). */
  keepZeros?: boolean;
}

/**
 * A whole training run into a run folder: data read and split, the model trained (checkpoint per
 * epoch in `checkpoint/`), the trained weights written back into the model's own format, that file
 * loaded again and measured on the validation samples, and `report.json` + `report.html`.
 * A cancelled or failed run keeps its last checkpoint (resume with `resume`), nothing else.
 */
export async function runTraining(spec: TrainingRunSpec, ctx: EngineContext = {}): Promise<TrainReport> {
  const started = performance.now();
  const { args } = spec;
  const runDir = resolve(args.outDir);
  const checkpointDir = join(runDir, 'checkpoint');
  const created = await prepareRunFolder(runDir, args.resume);
  try {
    ctx.onProgress?.({ stage: 'read', fraction: 0, message: 'Reading the model' });
    const source = await loadModel(args.model, { signal: ctx.signal });
    const warnings: string[] = [];
    const sourceOnnx = await toOnnx(source);
    const derived = spec.width !== undefined ? widthStudent(sourceOnnx, spec.width) : undefined;
    const working = derived ? derived.model : sourceOnnx;
    const outputFormat: ModelFormat = derived ? 'onnx' : source.format;
    const initialPath = derived ? join(runDir, `${stemOf(source.facts.path)}.student-initial.onnx`) : undefined;
    const layout = inputLayout(working);
    const data = await loadSamples(
      await openData({ path: args.data, labels: args.labels, normalize: args.normalize }, layout),
      { ...(args.limit ? { limit: args.limit } : {}) },
      ctx,
    );
    let train = data;
    let validation: Samples | undefined;
    if (args.valData)
      validation = await loadSamples(
        await openData({ path: args.valData, labels: args.valLabels ?? args.labels, normalize: args.normalize }, layout),
        {},
        ctx,
      );
    else if (args.valSplit > 0 && data.count >= 20) ({ train, validation } = holdOut(data, args.valSplit, seededRandom(args.seed)));
    if (!validation)
      warnings.push('No validation data: the curves show training measures only (give --val-data, or keep --val-split above 0).');
    if (spec.distill && !args.labels && train.labels) {
      // Distillation without --labels learns from the teacher alone; labels found beside the data only measure the result.
      train = withoutLabels(train);
      warnings.push(
        'Trained without labels (the teacher’s outputs are the targets); labels found with the data were used only to measure accuracy.',
      );
    }
    const selection = spec.distill ? selectionSlice(args, train, validation) : undefined;
    if (selection && args.valData) train = selection.train;
    if (derived && initialPath) {
      ctx.onProgress?.({ stage: 'prepare', fraction: 0, message: 'Matching the student’s layers to the teacher’s' });
      await matchStatistics(derived, sourceOnnx, train, { fixedBatch: layout.fixedBatch });
      if (!args.resume) await writeAtomically(initialPath, encodeModel(derived.model, 'onnx'));
    }
    const teacherFile = spec.distill ? await loadModel(spec.distill.teacher, { signal: ctx.signal }) : undefined;
    const settings = { threads: args.threads };
    const teacher = teacherFile
      ? await openTeacher(
          new Uint8Array(await readFile(teacherFile.facts.path)),
          teacherFile.format,
          settings,
          teacherFile.model,
          teacherFile.facts.path,
        )
      : undefined;
    const recipe = resolvedRecipe(args, train.count, layout.fixedBatch ?? args.batchSize);
    let result: FineTuneResult;
    try {
      const masks = spec.keepZeros ? zeroMasks(working.graph, defaultTrainable(working.graph)) : undefined;
      const initialWeights =
        args.init === 'random' ? randomInitialWeights(working.graph, defaultTrainable(working.graph), seededRandom(args.seed)) : undefined;
      result = await fineTune(
        working,
        {
          data: train,
          ...(validation ? { validation } : {}),
          ...(selection ? { selection: selection.samples } : {}),
          ...(teacher ? { teacher } : {}),
          ...(spec.distill
            ? { loss: distillLoss(spec.distill, train.labels !== undefined, args.labelSmoothing) }
            : args.labelSmoothing > 0 && train.labels
              ? { loss: [{ kind: 'cross-entropy' as const, smoothing: args.labelSmoothing }] }
              : {}),
          epochs: args.epochs,
          batchSize: args.batchSize,
          lr: recipe.lr,
          optimizer: args.optimizer,
          schedule: args.schedule,
          warmupSteps: recipe.warmupSteps,
          mode: { batchNorm: args.batchNorm },
          augment: args.augment,
          layout,
          ...(args.patience ? { patience: args.patience } : {}),
          checkpointDir,
          resume: args.resume,
          modelSha256: source.facts.sha256,
          ...(initialWeights ? { initialWeights } : {}),
          seed: args.seed,
          session: settings,
          ...(masks?.size
            ? {
                stepInputs: (weights: Map<string, Float32Array>) => {
                  applyZeroMasks(masks, weights);
                  return {};
                },
              }
            : {}),
        },
        ctx,
      );
      if (masks) applyZeroMasks(masks, result.weights);
    } finally {
      await teacher?.release();
    }
    ctx.onProgress?.({ stage: 'write', fraction: 1, message: 'Writing the trained model' });
    const trained = derived || outputFormat !== 'onnx' ? working : source.model;
    applyWeights(trained, result.weights);
    const outputModel =
      outputFormat === 'tflite' ? (await convertModelFormat(trained, 'tflite', { file: source.facts.path }, ctx)).model : trained;
    const bytes = encodeModel(outputModel, outputFormat, source.facts.path);
    const outputName = `${stemOf(source.facts.path)}.${spec.kind === 'distill' ? 'student' : 'trained'}${extensionOf(outputFormat)}`;
    await writeAtomically(join(runDir, outputName), bytes);
    ctx.onProgress?.({ stage: 'verify', fraction: 1, message: 'Checking the written model' });
    const verification = await verifyWritten(
      { bytes, format: outputFormat, file: join(runDir, outputName), fixedBatch: inputLayout(outputModel).fixedBatch },
      validation ?? train,
      teacher ? await reopen(teacherFile!, settings) : undefined,
      result,
    );
    if (selection && result.selectionAgreement)
      warnings.push(
        `Kept epoch ${result.keptEpoch} of ${result.history.length}: its student agreed best with the teacher on ${selection.samples.count} training samples ` +
          `held out of training (${result.selectionAgreement.map((a) => `${(a * 100).toFixed(2)} %`).join(', ')} by epoch); no labels were used to choose it.`,
      );
    if (result.stoppedEarly)
      warnings.push(
        `Stopped early after epoch ${result.history.length}: validation had not improved since epoch ${result.keptEpoch}, whose weights were kept.`,
      );
    const report: TrainReport = {
      schema: 'lithe.train/1',
      createdAt: new Date().toISOString(),
      runDir,
      versions: toolVersions(),
      kind: spec.kind,
      ...(derived && initialPath
        ? { student: { width: spec.width!, parameters: derived.parameters, layers: derived.layers, initialPath } }
        : {}),
      input: fileFacts(source),
      output: {
        path: join(runDir, outputName),
        format: outputFormat,
        sizeBytes: bytes.byteLength,
        sha256: createHash('sha256').update(bytes).digest('hex'),
      },
      ...(teacherFile ? { teacher: fileFacts(teacherFile) } : {}),
      data: { description: train.description, samples: train.count, labelled: train.labels !== undefined },
      ...(validation
        ? { validation: { description: validation.description, samples: validation.count, labelled: validation.labels !== undefined } }
        : {}),
      settings: { ...args, ...recipe, outDir: runDir },
      loss: result.loss,
      parameters: { trained: result.trainedParameters, total: parameterCount(working) },
      history: result.history,
      keptEpoch: result.keptEpoch,
      stoppedEarly: result.stoppedEarly,
      ...(result.resumedFrom !== undefined ? { resumedFrom: result.resumedFrom } : {}),
      verification,
      resources: { peakRssBytes: process.resourceUsage().maxRSS * 1024, threads: args.threads || availableParallelism() },
      durationMs: performance.now() - started,
      warnings,
    };
    await writeAtomically(join(runDir, 'report.json'), `${JSON.stringify(report, null, 2)}\n`);
    await writeAtomically(join(runDir, 'report.html'), renderTrainReportHtml(report));
    ctx.onProgress?.({ stage: 'done', fraction: 1 });
    return report;
  } catch (error) {
    // Keep a checkpoint to resume from; a run that made none leaves nothing behind.
    if (created && !existsSync(join(checkpointDir, 'checkpoint.json'))) await rm(runDir, { recursive: true, force: true });
    throw error;
  }
}

/**
 * Distillation keeps its best epoch, chosen without labels: a slice of the training data (the
 * --val-split share) is held out, and the epoch whose student agrees best with the teacher on it
 * is kept. The teacher's answers are the distillation's own target, so they can be measured on
 * held-out data at no cost in labels; a labelled --val-data (often the test set) only reports and
 * never chooses. When no --val-data is given, the validation slice (already held out) is that slice.
 */
function selectionSlice(
  args: TrainArgs,
  train: Samples,
  validation: Samples | undefined,
): { samples: Samples; train: Samples } | undefined {
  if (args.valSplit <= 0) return undefined;
  let held = { train, samples: validation };
  if (args.valData) {
    if (train.count < 20) return undefined;
    const split = holdOut(train, args.valSplit, seededRandom(args.seed + 1));
    held = { train: split.train, samples: split.validation };
  }
  if (!held.samples) return undefined;
  return { samples: withoutLabels(held.samples), train: held.train };
}

function distillLoss(d: NonNullable<TrainingRunSpec['distill']>, labelled: boolean, smoothing: number): LossTerm[] {
  if (!labelled && d.pseudoLabels !== undefined)
    return [
      { kind: 'distill-kl', temperature: d.temperature, weight: d.alpha },
      { kind: 'pseudo-label', threshold: d.pseudoLabels, weight: 1 - d.alpha },
    ];
  if (!labelled) return [{ kind: 'distill-kl', temperature: d.temperature }];
  return [
    { kind: 'distill-kl', temperature: d.temperature, weight: d.alpha },
    { kind: 'cross-entropy', weight: 1 - d.alpha, ...(smoothing > 0 ? { smoothing } : {}) },
  ];
}

async function toOnnx(source: LoadedModel): Promise<Model> {
  return source.format === 'onnx' ? source.model : (await convertModelFormat(source.model, 'onnx', { file: source.facts.path })).model;
}

function fileFacts(loaded: LoadedModel): TrainReport['input'] {
  return { path: loaded.facts.path, format: loaded.format, sizeBytes: loaded.facts.sizeBytes, sha256: loaded.facts.sha256 };
}

function parameterCount(model: Model): number {
  return model.graph.initializers.filter((t) => t.dtype.startsWith('float')).reduce((n, t) => n + t.elementCount, 0);
}

async function reopen(teacherFile: LoadedModel, settings: { threads: number }): Promise<Teacher> {
  return openTeacher(
    new Uint8Array(await readFile(teacherFile.facts.path)),
    teacherFile.format,
    settings,
    teacherFile.model,
    teacherFile.facts.path,
  );
}

// The run folder: new (must not exist or be empty), or an earlier training run to resume. True when this run made it.
async function prepareRunFolder(dir: string, resume: boolean): Promise<boolean> {
  if (resume) {
    if (!existsSync(join(dir, 'checkpoint', 'checkpoint.json')))
      throw new LitheError('invalid-argument', 'There is no training checkpoint in this folder to resume from.', { file: dir });
    return false;
  }
  const entries = await readdir(dir).catch(() => undefined);
  if (entries && entries.length > 0)
    throw new LitheError(
      'invalid-argument',
      'The output folder already exists and is not empty; choose a new folder (or --resume an interrupted training run).',
      { file: dir },
    );
  await mkdir(dir, { recursive: true }).catch((error: NodeJS.ErrnoException) => {
    throw new LitheError('write-failed', `Cannot create the output folder (${error.code ?? error.message}).`, { file: dir, cause: error });
  });
  return entries === undefined;
}

async function writeAtomically(path: string, data: Uint8Array | string): Promise<void> {
  try {
    await writeFile(`${path}.partial`, data);
    await rename(`${path}.partial`, path);
  } catch (error) {
    await rm(`${path}.partial`, { force: true });
    throw new LitheError('write-failed', `Cannot write the file (${(error as NodeJS.ErrnoException).code ?? String(error)}).`, {
      file: path,
      cause: error,
    });
  }
}

// Loads the written file in its runtime and measures it on the validation samples (at most 10 000).
async function verifyWritten(
  written: { bytes: Uint8Array; format: ModelFormat; file: string; fixedBatch: number | undefined },
  samples: Samples,
  teacher: Teacher | undefined,
  result: FineTuneResult,
): Promise<TrainReport['verification']> {
  let measured: Measure;
  try {
    measured = await measureFile({ ...written, role: 'the trained model' }, samples, teacher);
  } finally {
    await teacher?.release();
  }
  const kept = result.history.find((e) => e.epoch === result.keptEpoch);
  const during = measured.accuracy !== undefined ? kept?.valAccuracy : kept?.valAgreement;
  return {
    runtime: written.format === 'onnx' ? 'onnxruntime' : 'TFLite runtime',
    ...measured,
    ...(during !== undefined ? { duringTraining: during } : {}),
  };
}
