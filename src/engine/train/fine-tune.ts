import ort from 'onnxruntime-node';
import { OptimizerOptions, type AugmentOptions, type EpochRecord, type ScheduleKind, type TrainProgressDetail } from '../../contract/train';
import type { EngineContext } from '../context';
import type { InputLayout } from '../data/input-layout';
import { LitheError, throwIfCancelled } from '../errors';
import type { Model } from '../ir/model';
import { seededRandom } from '../util/seeded-random';
import { augmentBatch, augments } from './augment';
import { loadCheckpoint, saveCheckpoint, type Checkpoint } from './checkpoint';
import { DISTILL_TEMPERATURE } from './losses/distill-kl';
import type { LossTerm } from './losses/loss';
import { agreeBatch, MetricSums, scoreBatch } from './metrics';
import { Optimizer } from './optimizer';
import type { TrainingMode } from './rule';
import { gatherBatch, permutation, type Samples } from './samples';
import { learningRate } from './schedule';
import { gatherScores, scoreAll, type CachedScores, type Teacher } from './teacher';
import { EvalStep, TrainStep, type SessionSettings } from './train-session';
import { buildInferenceGraph, buildTrainingGraph } from './training-graph';

/** How {@link fineTune} trains. */
export interface FineTuneOptions {
  data: Samples;
  validation?: Samples;
  /**
   * Samples held out of the training data, without labels, for choosing the epoch: the weights of
   * the epoch whose model agrees best with the teacher on them are returned (needs a teacher).
   */
  selection?: Samples;
  /**
   * Distillation targets: the teacher's scores for every batch (after augmentation). Without
   * augmentation they are computed once for all samples (see {@link scoreAll}), not every epoch.
   */
  teacher?: Teacher;
  /** Loss terms (default: cross-entropy with labels; distillation without; both, weighted, with a teacher and labels). */
  loss?: LossTerm[];
  epochs: number;
  batchSize: number;
  lr: number;
  optimizer?: Partial<OptimizerOptions>;
  schedule?: ScheduleKind;
  /** Warm-up steps of the learning rate. */
  warmupSteps?: number;
  /** Which float initializers are trained (default: weights, biases, normalization parameters). */
  trainable?: (initializerName: string) => boolean;
  mode?: Partial<TrainingMode>;
  augment?: AugmentOptions;
  /** How the input is laid out (for augmentation). */
  layout?: InputLayout;
  /** Stop when the validation measure has not improved for this many epochs (and keep the best weights). */
  patience?: number;
  /** Folder for checkpoints (written after every epoch) and resuming. */
  checkpointDir?: string;
  /** Continue from the checkpoint in `checkpointDir`. */
  resume?: boolean;
  /** sha256 of the model file, recorded in checkpoints. */
  modelSha256?: string;
  /** Starting values instead of the model's initializers (e.g. random initialization). */
  initialWeights?: ReadonlyMap<string, Float32Array>;
  seed?: number;
  session?: SessionSettings;
  /**
   * Called before every step (and before each validation) with the live weight arrays, which it may
   * change in place (e.g. to keep pruned weights at zero); returns feeds for the model's extra inputs
   * named in `stepInputNames` (e.g. fake-quantization scales computed from the weights).
   */
  stepInputs?: (weights: Map<string, Float32Array>) => Record<string, ort.Tensor>;
  /** Model inputs that `stepInputs` feeds: they are not data inputs. */
  stepInputNames?: readonly string[];
  onEpoch?: (record: EpochRecord) => void;
}

/** What {@link fineTune} returns. */
export interface FineTuneResult {
  /** Trained parameters and state (e.g. running statistics), by initializer name. */
  weights: Map<string, Float32Array>;
  history: EpochRecord[];
  /** Epoch whose weights are returned (the best one when early stopping kept it). */
  keptEpoch: number;
  stoppedEarly: boolean;
  resumedFrom?: number;
  loss: LossTerm[];
  trainedParameters: number;
  /** Top-1 agreement with the teacher on the selection samples, per epoch (when given). */
  selectionAgreement?: number[];
}

function defaultLoss(labelled: boolean, teacher: boolean): LossTerm[] {
  if (teacher && labelled)
    return [
      { kind: 'distill-kl', temperature: DISTILL_TEMPERATURE, weight: 0.5 },
      { kind: 'cross-entropy', weight: 0.5 },
    ];
  if (teacher) return [{ kind: 'distill-kl', temperature: DISTILL_TEMPERATURE }];
  if (labelled) return [{ kind: 'cross-entropy' }];
  throw new LitheError(
    'invalid-argument',
    'Training needs labels (--labels, or images in class folders) or a teacher model to learn from.',
  );
}

/**
 * Trains `model` (ONNX IR, not changed) on in-memory samples: shuffled batches, optional
 * augmentation, one onnxruntime run per step (forward and backward together), the optimizer in
 * TypeScript over the weight arrays, validation after every epoch, early stopping, and an atomic
 * checkpoint per epoch that a cancel leaves intact and `resume` continues from.
 * Other passes (pruning, clustering, quantization-aware training) call this to recover accuracy.
 */
export async function fineTune(model: Model, options: FineTuneOptions, ctx: EngineContext = {}): Promise<FineTuneResult> {
  const { data } = options;
  const labelled = data.labels !== undefined;
  const loss = options.loss ?? defaultLoss(labelled, Boolean(options.teacher));
  if (loss.some((t) => t.kind === 'cross-entropy') && !labelled)
    throw new LitheError('invalid-argument', 'The cross-entropy loss needs labels with the data.');
  if (loss.some((t) => t.kind === 'distill-kl' || t.kind === 'pseudo-label' || t.kind === 'mse') && !options.teacher)
    throw new LitheError('invalid-argument', 'A distillation loss needs a teacher model.');
  if (options.selection && !options.teacher)
    throw new LitheError('invalid-argument', 'Choosing the epoch by agreement with the teacher needs a teacher model.');
  const graph = buildTrainingGraph(model, {
    loss,
    ...(options.trainable ? { trainable: options.trainable } : {}),
    ...(options.mode ? { mode: options.mode } : {}),
  });
  const dataInputs = graph.data.filter((name) => !options.stepInputNames?.includes(name));
  if (dataInputs.length !== 1)
    throw new LitheError(
      'unsupported',
      `Lithe trains models with one data input; this one has ${dataInputs.length} (${dataInputs.join(', ')}).`,
    );
  const dataInput = dataInputs[0]!;
  if (graph.params.length === 0) throw new LitheError('invalid-argument', 'Nothing to train: no initializer is marked trainable.');
  const input = graph.model.graph.inputs.find((v) => v.name === dataInput)!;
  const inputShape = input.type?.kind === 'tensor' ? input.type.shape : undefined;
  const fixedBatch = typeof inputShape?.[0] === 'number' ? inputShape[0] : undefined;
  const batchSize = fixedBatch ?? options.batchSize;
  checkLabels(data, graph.model.graph.outputs.find((o) => o.name === graph.outputs[0])?.type);

  const weights = new Map<string, Float32Array>();
  for (const t of model.graph.initializers) {
    if (!graph.params.some((p) => p.name === t.name) && !graph.state.some((s) => s.name === t.name)) continue;
    weights.set(t.name, options.initialWeights?.get(t.name)?.slice() ?? Float32Array.from(t.toTypedArray() as Float32Array));
  }
  const optimizer = new Optimizer(OptimizerOptions.parse(options.optimizer ?? {}));
  const settings: SessionSettings = options.session ?? { threads: 0 };
  const history: EpochRecord[] = [];
  let startEpoch = 0;
  let best: { epoch: number; value: number } | undefined;
  let bestWeights: Map<string, Float32Array> | undefined;
  const checkpointSettings = { loss, epochs: options.epochs, batchSize, lr: options.lr, seed: options.seed ?? 1 };
  if (options.resume && options.checkpointDir) {
    const saved = await loadCheckpoint(options.checkpointDir);
    if (!saved)
      throw new LitheError('invalid-argument', 'There is no checkpoint to resume from in this run folder.', {
        file: options.checkpointDir,
      });
    if (options.modelSha256 && saved.meta.modelSha256 !== options.modelSha256)
      throw new LitheError('invalid-argument', 'The checkpoint belongs to a different model file.', { file: options.checkpointDir });
    for (const [name, value] of saved.tensors) if (weights.get(name)?.length === value.length) weights.set(name, value);
    optimizer.restore(saved.optimizer);
    history.push(...(saved.meta.history as EpochRecord[]));
    startEpoch = saved.meta.epoch;
    best = saved.meta.best;
    bestWeights = saved.best;
  }

  const step = await TrainStep.open(graph, weights, settings);
  const shared = new Map([
    ...step.params.map((p) => [p.name, { value: p.value, dims: p.dims }] as const),
    ...graph.state.map((s) => [s.name, { value: step.state.get(s.name)!, dims: s.dims }] as const),
  ]);
  const evaluator =
    options.validation || options.selection ? await EvalStep.open(buildInferenceGraph(model, shared.keys()), shared, settings) : undefined;
  const labelsFeed = graph.feeds.find((f) => f.role === 'labels')?.name;
  const targetFeeds = graph.feeds.filter((f) => f.role === 'target').map((f) => f.name);
  const sampleDims = data.sampleDims;
  const stepsPerEpoch = Math.ceil(data.count / batchSize);
  const totalSteps = stepsPerEpoch * options.epochs;
  const probabilities = graph.outputs[0] !== undefined && endsInSoftmaxOutput(model);
  const batchData = new Float32Array(batchSize * data.size);
  const batchLabels = labelled ? new BigInt64Array(batchSize) : undefined;
  const random = seededRandom((options.seed ?? 1) * 7919 + startEpoch);
  const augmented = augments(options.augment) && options.layout !== undefined;
  const teacherCache =
    targetFeeds.length && options.teacher && !augmented ? await cacheTeacher(options.teacher, data, batchSize, ctx) : undefined;
  const validationCache =
    options.teacher && options.validation ? await cacheTeacher(options.teacher, options.validation, batchSize, ctx) : undefined;
  const selectionCache =
    options.teacher && options.selection ? await cacheTeacher(options.teacher, options.selection, batchSize, ctx) : undefined;
  const selectionAgreement: number[] = [];
  const keepsBest = options.patience !== undefined || options.selection !== undefined;
  const teacherBatch = teacherCache ? new Float32Array(batchSize * teacherCache.width) : undefined;
  let stoppedEarly = false;
  let secondsPerStep = 0;
  try {
    for (let epoch = startEpoch; epoch < options.epochs; epoch++) {
      const started = performance.now();
      const cpuStarted = process.cpuUsage();
      const order = permutation(data.count, random);
      const sums = new MetricSums();
      let lr = options.lr;
      for (let s = 0; s < stepsPerEpoch; s++) {
        throwIfCancelled(ctx.signal);
        const indices = order.subarray(s * batchSize, Math.min(data.count, (s + 1) * batchSize));
        const count = indices.length;
        if (fixedBatch && count < fixedBatch) break;
        gatherBatch(data, indices, batchData, batchLabels);
        if (augmented && options.layout) augmentBatch(batchData, count, options.layout, options.augment!, random);
        const x = batchData.subarray(0, count * data.size);
        const feeds: Record<string, ort.Tensor> = { [dataInput]: new ort.Tensor('float32', x, [count, ...sampleDims]) };
        if (labelsFeed && batchLabels) feeds[labelsFeed] = new ort.Tensor('int64', batchLabels.subarray(0, count), [count]);
        let teacherScores: Float32Array | undefined;
        if (targetFeeds.length && options.teacher) {
          teacherScores =
            teacherCache && teacherBatch
              ? gatherScores(teacherCache, indices, teacherBatch)
              : await options.teacher.scores(x, count, sampleDims);
          for (const name of targetFeeds) feeds[name] = new ort.Tensor('float32', teacherScores, [count, teacherScores.length / count]);
        }
        if (options.stepInputs) Object.assign(feeds, options.stepInputs(weights));
        const result = await step.run(feeds);
        if (!Number.isFinite(result.loss))
          throw new LitheError(
            'runtime-failed',
            `Training diverged: the loss became ${result.loss} in epoch ${epoch + 1}, step ${s + 1}. Try a lower learning rate (--lr).`,
          );
        lr = learningRate(options.schedule ?? 'constant', options.lr, epoch * stepsPerEpoch + s, totalSteps, options.warmupSteps ?? 0);
        optimizer.step(step.params, lr);
        sums.addLoss(result.loss, count);
        const scores = result.outputs[graph.outputs[0]!]?.data as Float32Array | undefined;
        if (scores && batchLabels)
          scoreBatch(sums, scores, count, Int32Array.from(batchLabels.subarray(0, count), Number), { probabilities, withLoss: false });
        const elapsed = (performance.now() - started) / 1000;
        secondsPerStep = elapsed / (s + 1);
        const remaining = (options.epochs - epoch) * stepsPerEpoch - (s + 1);
        const detail: TrainProgressDetail = {
          kind: 'step',
          epoch: epoch + 1,
          epochs: options.epochs,
          step: s + 1,
          steps: stepsPerEpoch,
          loss: sums.loss ?? result.loss,
          ...(sums.accuracy !== undefined ? { accuracy: sums.accuracy } : {}),
          lr,
          samplesPerSecond: (s * batchSize + count) / elapsed,
          etaSeconds: remaining * secondsPerStep,
        };
        ctx.onProgress?.({
          stage: 'train',
          fraction: (epoch * stepsPerEpoch + s + 1) / totalSteps,
          message: `Epoch ${epoch + 1}/${options.epochs}, step ${s + 1}/${stepsPerEpoch}: loss ${detail.loss.toFixed(4)}`,
          detail,
        });
      }
      const trainSeconds = (performance.now() - started) / 1000;
      const cpu = process.cpuUsage(cpuStarted);
      const extra = options.stepInputs?.(weights) ?? {};
      const val =
        evaluator && options.validation
          ? await validate(evaluator, options.validation, dataInput, extra, batchSize, probabilities, options.teacher, validationCache, ctx)
          : undefined;
      const chosen =
        evaluator && options.selection
          ? await validate(evaluator, options.selection, dataInput, extra, batchSize, probabilities, options.teacher, selectionCache, ctx)
          : undefined;
      if (chosen?.agreement !== undefined) selectionAgreement.push(chosen.agreement);
      const record: EpochRecord = {
        epoch: epoch + 1,
        trainLoss: sums.loss ?? NaN,
        ...(sums.accuracy !== undefined ? { trainAccuracy: sums.accuracy } : {}),
        ...(val?.loss !== undefined ? { valLoss: val.loss } : {}),
        ...(val?.accuracy !== undefined ? { valAccuracy: val.accuracy } : {}),
        ...(val?.agreement !== undefined ? { valAgreement: val.agreement } : {}),
        lr,
        seconds: trainSeconds,
        cpuSeconds: (cpu.user + cpu.system) / 1e6,
        samplesPerSecond: data.count / trainSeconds,
      };
      history.push(record);
      options.onEpoch?.(record);
      const measure = chosen?.agreement ?? val?.accuracy ?? val?.agreement ?? (val?.loss !== undefined ? -val.loss : -record.trainLoss);
      if (!best || measure > best.value) {
        best = { epoch: epoch + 1, value: measure };
        if (keepsBest) bestWeights = copyOf(weights);
      }
      ctx.onProgress?.({
        stage: 'epoch',
        fraction: (epoch + 1) / options.epochs,
        message: `Epoch ${epoch + 1}/${options.epochs} done`,
        detail: {
          kind: 'epoch',
          epoch: epoch + 1,
          epochs: options.epochs,
          record,
          etaSeconds: (options.epochs - epoch - 1) * stepsPerEpoch * secondsPerStep,
        },
      });
      if (options.checkpointDir) {
        const checkpoint: Checkpoint = {
          meta: {
            epoch: epoch + 1,
            modelSha256: options.modelSha256 ?? '',
            settings: checkpointSettings,
            history,
            ...(best ? { best } : {}),
          },
          tensors: weights,
          optimizer: optimizer.state(),
          ...(bestWeights ? { best: bestWeights } : {}),
        };
        await saveCheckpoint(options.checkpointDir, checkpoint);
      }
      if (options.patience !== undefined && best && epoch + 1 - best.epoch >= options.patience && epoch + 1 < options.epochs) {
        stoppedEarly = true;
        break;
      }
    }
  } finally {
    await step.release();
    await evaluator?.release();
  }
  const keep = keepsBest && bestWeights && best;
  return {
    weights: keep ? bestWeights! : copyOf(weights),
    history,
    keptEpoch: keep ? best!.epoch : history.length,
    stoppedEarly,
    ...(startEpoch > 0 ? { resumedFrom: startEpoch } : {}),
    loss,
    trainedParameters: graph.params.reduce((n, p) => n + p.dims.reduce((a, b) => a * b, 1), 0),
    ...(selectionAgreement.length ? { selectionAgreement } : {}),
  };
}

// The teacher's scores for all samples once, or undefined to score each batch as it comes (too large, or a
// teacher that cannot take every batch size: per-batch scoring then reports any real problem itself).
async function cacheTeacher(teacher: Teacher, samples: Samples, batchSize: number, ctx: EngineContext): Promise<CachedScores | undefined> {
  ctx.onProgress?.({ stage: 'teacher', fraction: 0, message: 'Computing the teacher’s answers for the data once' });
  try {
    return await scoreAll(teacher, samples, batchSize, ctx.signal);
  } catch (error) {
    if (ctx.signal?.aborted) throw error;
    return undefined;
  }
}

function copyOf(weights: ReadonlyMap<string, Float32Array>): Map<string, Float32Array> {
  return new Map([...weights].map(([name, value]) => [name, value.slice()]));
}

function endsInSoftmaxOutput(model: Model): boolean {
  const output = model.graph.outputs[0];
  return model.graph.nodes.some((n) => n.outputs.includes(output) && n.opType === 'Softmax');
}

// Labels must name a class of the output: a label outside 0 … C−1 would silently train the wrong thing.
function checkLabels(data: Samples, type: import('../ir/value-type').ValueType | undefined): void {
  if (!data.labels) return;
  const classes = type?.kind === 'tensor' ? type.shape?.[1] : undefined;
  let min = Infinity;
  let max = -Infinity;
  for (const l of data.labels) {
    if (l < min) min = l;
    if (l > max) max = l;
  }
  if (min < 0 || (typeof classes === 'number' && max >= classes))
    throw new LitheError(
      'invalid-argument',
      `The labels run from ${min} to ${max}, but the model's output has ${typeof classes === 'number' ? `${classes} classes (0 … ${classes - 1})` : 'no known class count'}.`,
    );
}

async function validate(
  evaluator: EvalStep,
  samples: Samples,
  inputName: string,
  extra: Record<string, ort.Tensor>,
  batchSize: number,
  probabilities: boolean,
  teacher: Teacher | undefined,
  cache: CachedScores | undefined,
  ctx: EngineContext,
): Promise<{ loss?: number; accuracy?: number; agreement?: number }> {
  const sums = new MetricSums();
  const output = evaluator.outputNames[0]!;
  for (let start = 0; start < samples.count; start += batchSize) {
    throwIfCancelled(ctx.signal);
    const count = Math.min(batchSize, samples.count - start);
    const x = samples.data.subarray(start * samples.size, (start + count) * samples.size);
    const out = await evaluator.run({ ...extra, [inputName]: new ort.Tensor('float32', x, [count, ...samples.sampleDims]) });
    const scores = out[output]!.data as Float32Array;
    scoreBatch(sums, scores, count, samples.labels?.subarray(start, start + count), { probabilities, withLoss: true });
    if (cache) agreeBatch(sums, scores, cache.scores.subarray(start * cache.width, (start + count) * cache.width), count);
    else if (teacher) agreeBatch(sums, scores, await teacher.scores(x, count, samples.sampleDims), count);
  }
  return { loss: sums.loss, accuracy: sums.accuracy, agreement: sums.agreement };
}
