import type { Command } from 'commander';
import type { Progress } from '../../contract';
import { TrainProgressDetail, type EpochRecord, type RecoverReport, type TrainArgs, type TrainReport } from '../../contract/train';
import { checkedArgs, runCommand } from '../engine';
import { formatBytes, printJson, usageError } from '../output';

/** Flags every training command shares. */
interface RunFlags {
  data: string;
  labels?: string;
  valData?: string;
  valLabels?: string;
  normalize?: string;
  out?: string;
  epochs?: string;
  lr?: string;
  batch?: string;
  limit?: string;
  threads?: string;
  seed?: string;
  json?: boolean;
}

interface TrainFlags extends RunFlags {
  init?: string;
  optimizer?: string;
  momentum?: string;
  weightDecay?: string;
  clipNorm?: string;
  schedule?: string;
  warmupSteps?: string;
  labelSmoothing?: string;
  augment?: string;
  batchNorm?: string;
  valSplit?: string;
  patience?: string;
  resume?: boolean;
}

const number = (text: string | undefined): number | undefined => (text === undefined ? undefined : Number(text));

/** `--augment flip,shift=2,crop=0.1` → augmentation options. */
export function parseAugment(text: string | undefined): TrainArgs['augment'] | undefined {
  if (text === undefined) return undefined;
  const out = { flip: false, shift: 0, crop: 0 };
  for (const part of text
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const [key, value] = part.split('=');
    if (key === 'flip') out.flip = value === undefined || value === 'true';
    else if (key === 'shift' && value !== undefined) out.shift = Number(value);
    else if (key === 'crop' && value !== undefined) out.crop = Number(value);
    else throw usageError(`--augment: unknown part "${part}" (use flip, shift=PIXELS, crop=FRACTION).`);
  }
  return out;
}

/** The shared training flags as contract arguments (the service validates them). */
export function trainArguments(model: string, flags: TrainFlags): Record<string, unknown> {
  const optimizer = defined({
    kind: flags.optimizer,
    momentum: number(flags.momentum),
    weightDecay: number(flags.weightDecay),
    clipNorm: number(flags.clipNorm),
  });
  return defined({
    model,
    ...dataAndRunArguments(flags),
    init: flags.init,
    optimizer: Object.keys(optimizer).length ? optimizer : undefined,
    schedule: flags.schedule,
    warmupSteps: number(flags.warmupSteps),
    labelSmoothing: number(flags.labelSmoothing),
    augment: parseAugment(flags.augment),
    batchNorm: flags.batchNorm,
    valSplit: number(flags.valSplit),
    patience: number(flags.patience),
    resume: flags.resume,
  });
}

// The data, run folder and basic training settings every training command takes.
function dataAndRunArguments(flags: RunFlags): Record<string, unknown> {
  return {
    data: flags.data,
    labels: flags.labels,
    valData: flags.valData,
    valLabels: flags.valLabels,
    normalize: flags.normalize,
    outDir: flags.out,
    epochs: number(flags.epochs),
    lr: number(flags.lr),
    batchSize: number(flags.batch),
    limit: number(flags.limit),
    threads: number(flags.threads),
    seed: number(flags.seed),
  };
}

/** The entries of `args` that have a value. */
const defined = (args: Record<string, unknown>): Record<string, unknown> =>
  Object.fromEntries(Object.entries(args).filter(([, v]) => v !== undefined));

/** The options every training command shares. */
export function addTrainingOptions(command: Command): Command {
  return command
    .requiredOption('-d, --data <path>', 'training data: image folder (class subfolders = labels), IDX, .npy/.npz or raw float32')
    .option('-l, --labels <path>', 'labels (IDX, .npy or text, one class per line) when the data does not carry them')
    .option('--val-data <path>', 'validation data (default: hold out --val-split of the training data)')
    .option('--val-labels <path>', 'labels of the validation data')
    .option('-n, --normalize <preset>', 'pixel normalization: 0-1 (default), -1-1, imagenet, raw, or mean=…;std=…')
    .requiredOption('-o, --out <dir>', 'run folder to create (or an interrupted run with --resume)')
    .option('--epochs <n>', 'passes over the training data (default 3)')
    .option('--lr <x>', 'peak learning rate (default 0.003 with --init random, else 0.001)')
    .option('--batch <n>', 'samples per step (default 64)')
    .option('--optimizer <name>', 'adamw (default) or sgd')
    .option('--momentum <x>', 'SGD momentum (default 0.9)')
    .option('--weight-decay <x>', 'weight decay on weights (default 0)')
    .option('--clip-norm <x>', 'clip the global gradient norm')
    .option('--schedule <name>', 'learning rate schedule: linear (default, decays to 0 by the last step), cosine, step, constant')
    .option('--warmup-steps <n>', 'steps of learning-rate warm-up (default: the first 3 % of the steps)')
    .option('--label-smoothing <x>', 'label smoothing of the cross-entropy on labels (default 0.1; 0 for none)')
    .option('--augment <list>', 'image augmentation, e.g. flip,shift=2,crop=0.1')
    .option('--batch-norm <mode>', 'train (batch statistics, default) or frozen')
    .option('--val-split <x>', 'share of training data held out for validation without --val-data (default 0.05; 0: none)')
    .option('--patience <n>', 'stop when validation has not improved for n epochs (keeps the best weights)')
    .option('--limit <n>', 'use at most n training samples')
    .option('--threads <n>', 'onnxruntime threads (default: all cores)')
    .option('--seed <n>', 'seed of shuffling, augmentation and initialization (default 1)')
    .option('--resume', 'continue the run in --out from its last checkpoint')
    .option('--json', 'print the report as JSON');
}

/** Runs a training command through the engine service, printing each epoch as it finishes. */
export function runTrainingCommand(command: 'train.run' | 'distill.run', args: Record<string, unknown>): Promise<TrainReport> {
  return runCommand(command, checkedArgs(command, args), {
    bar: command === 'train.run' ? 'train' : 'distill',
    onProgress: printEpoch,
  });
}

// Prints each finished epoch above the progress bar.
function printEpoch(progress: Progress, bar: { clear: () => void }): void {
  const detail = TrainProgressDetail.safeParse(progress.detail);
  if (!detail.success || detail.data.kind !== 'epoch') return;
  bar.clear();
  process.stderr.write(`${describeEpoch(detail.data.record, detail.data.epochs)}\n`);
}

const pct = (x: number | undefined): string => (x === undefined ? '—' : `${(x * 100).toFixed(2)} %`);

function describeEpoch(e: EpochRecord, epochs: number): string {
  const parts = [`epoch ${e.epoch}/${epochs}`, `loss ${e.trainLoss.toFixed(4)}`];
  if (e.trainAccuracy !== undefined) parts.push(`train ${pct(e.trainAccuracy)}`);
  if (e.valAccuracy !== undefined) parts.push(`val ${pct(e.valAccuracy)}`);
  if (e.valAgreement !== undefined) parts.push(`agrees with teacher ${pct(e.valAgreement)}`);
  parts.push(`${e.seconds.toFixed(1)} s (${e.samplesPerSecond.toFixed(0)} samples/s)`);
  return parts.join('  ');
}

/** Prints the end of a training run for a person. */
export function printTrainReport(report: TrainReport): void {
  const v = report.verification;
  console.log(
    `${report.input.path}\n  ${report.kind === 'distill' ? 'student' : 'trained'}     ${report.output.path} (${formatBytes(report.output.sizeBytes)})`,
  );
  console.log(`  data        ${report.data.description}, ${report.data.samples} samples`);
  if (report.validation) console.log(`  validation  ${report.validation.description}, ${report.validation.samples} samples`);
  console.log(
    `  epochs      ${report.history.length}${report.stoppedEarly ? ' (stopped early)' : ''}, kept epoch ${report.keptEpoch}; ` +
      `${report.parameters.trained} of ${report.parameters.total} parameters trained`,
  );
  const measure =
    v.accuracy !== undefined
      ? `top-1 ${pct(v.accuracy)}`
      : v.agreement !== undefined
        ? `agrees with the teacher on ${pct(v.agreement)}`
        : 'runs';
  const during = v.duringTraining !== undefined ? ` (during training ${pct(v.duringTraining)})` : '';
  console.log(`  written     loads in ${v.runtime}: ${measure} on ${v.samples} samples${during}`);
  const student = report.student;
  if (student) {
    const share = ((student.parameters.student / student.parameters.teacher) * 100).toFixed(1);
    console.log(`  student     width ${student.width}: ${student.parameters.student} parameters (${share} % of the teacher's)`);
    console.log(`  untrained   ${student.initialPath}`);
  }
  console.log(`  memory      peak ${formatBytes(report.resources.peakRssBytes)} with ${report.resources.threads} onnxruntime thread(s)`);
  for (const warning of report.warnings) console.log(`  note        ${warning}`);
}

/** `lithe train <model> --data D -o RUN`: trains or fine-tunes a model, writing it back in its own format. */
export function registerTrain(program: Command): void {
  addTrainingOptions(
    program
      .command('train')
      .description(
        'Train a model on your data (fine-tune it, or from fresh weights with --init random) into a run folder: the trained model in its own format, ' +
          'report.json and report.html with per-epoch curves. A checkpoint is kept after every epoch; Ctrl-C keeps it and --resume continues.',
      )
      .argument('<model>', 'the .onnx or .tflite model')
      .option('--init <mode>', 'keep (fine-tune the weights, default) or random (train from scratch)'),
  ).action(async (model: string, flags: TrainFlags) => {
    const report = await runTrainingCommand('train.run', trainArguments(model, flags));
    if (flags.json) printJson(report);
    else printTrainReport(report);
  });
}

/** `lithe distill <teacher> (--student FILE | --width W) --data D -o RUN`: a student trained to match the teacher. */
export function registerDistill(program: Command): void {
  addTrainingOptions(
    program
      .command('distill')
      .description(
        'Train a smaller student to give the answers of a teacher model on your data (labels optional): a student model you give, or one derived ' +
          'from the teacher with --width (every layer keeps that fraction of its channels, starting from the teacher’s largest filters, rescaled to ' +
          'the teacher’s activation statistics). Defaults differ from train: --lr 0.003 with --schedule cosine, no warm-up, no label smoothing.',
      )
      .argument('<teacher>', 'the .onnx or .tflite teacher model')
      .option('--student <model>', 'the student model to train')
      .option('--width <fraction>', 'derive the student from the teacher, keeping this fraction of each layer’s channels (e.g. 0.5)')
      .option('--temperature <t>', 'softening temperature of the distillation loss (default 2)')
      .option('--alpha <x>', 'with --labels: weight of the teacher term; 1 − alpha goes to the labels (default 0.5)')
      .option(
        '--pseudo-labels <p>',
        'without labels: the teacher’s top class counts as a label where its probability is ≥ p (weight 1 − alpha; default 0.8)',
      )
      .option('--no-pseudo-labels', 'without labels: learn from the softened teacher alone'),
  ).action(
    async (
      teacher: string,
      flags: TrainFlags & { student?: string; width?: string; temperature?: string; alpha?: string; pseudoLabels?: string | false },
    ) => {
      const { model: _model, init: _init, ...common } = trainArguments(teacher, flags);
      const args = defined({
        ...common,
        teacher,
        student: flags.student,
        width: number(flags.width),
        temperature: number(flags.temperature),
        alpha: number(flags.alpha),
        pseudoLabels: flags.pseudoLabels === false ? false : number(flags.pseudoLabels),
      });
      const report = await runTrainingCommand('distill.run', args);
      if (flags.json) printJson(report);
      else printTrainReport(report);
    },
  );
}

const percentOf = (m: RecoverReport['before'], labelled: boolean): string => pct(labelled ? m.accuracy : m.agreement);

/** Prints a recovery for a person: the three models side by side on the same samples. */
export function printRecoverReport(report: RecoverReport): void {
  const labelled = report.before.accuracy !== undefined;
  const what = labelled ? 'top-1' : 'agrees with the original';
  console.log(`${report.optimized}\n  retrained   ${report.output.path} (${formatBytes(report.output.sizeBytes)}), ${report.method}`);
  console.log(
    `  measured on ${report.measuredOn.description}, ${report.after.samples} samples${report.measuredOn.heldOut ? '' : ' (training data)'}`,
  );
  console.log(`  original    ${what} ${percentOf(report.reference, labelled)}`);
  console.log(`  before      ${what} ${percentOf(report.before, labelled)}`);
  console.log(`  after       ${what} ${percentOf(report.after, labelled)}${report.improved ? '' : '  (not better)'}`);
  for (const note of report.notes) console.log(`  note        ${note}`);
}

/** `lithe recover <run> --data D`: retrains an optimization's result to win back the accuracy it lost. */
export function registerRecover(program: Command): void {
  program
    .command('recover')
    .description(
      'Retrain the result of an optimization run to recover accuracy: a quantized result is quantized again from the original while it trains; ' +
        'another result is fine-tuned towards the original’s answers (pruned weights stay zero). Labels are optional. The original, the result ' +
        'and the retrained model are measured on the same samples (give --val-data for held-out ones).',
    )
    .argument('<run>', 'the optimization run folder')
    .requiredOption('-d, --data <path>', 'training data: image folder (class subfolders = labels), IDX, .npy/.npz or raw float32')
    .option('-l, --labels <path>', 'labels of the training data (optional: without them the original model teaches)')
    .option('--val-data <path>', 'data the accuracy is measured on (recommended)')
    .option('--val-labels <path>', 'labels of the validation data')
    .option('-n, --normalize <preset>', 'pixel normalization: 0-1 (default), -1-1, imagenet, raw, or mean=…;std=…')
    .option('-o, --out <dir>', 'run folder to create (default: a new folder among the runs)')
    .option('--epochs <n>', 'passes over the training data (default 2)')
    .option('--lr <x>', 'learning rate (default 0.0001)')
    .option('--batch <n>', 'samples per step (default 64)')
    .option('--limit <n>', 'use at most n training samples')
    .option('--threads <n>', 'onnxruntime threads (default: all cores)')
    .option('--seed <n>', 'seed of shuffling (default 1)')
    .option('--json', 'print the report as JSON')
    .action(async (run: string, flags: RunFlags) => {
      const args = defined({ run, ...dataAndRunArguments(flags) });
      const report = await runCommand('train.recover', checkedArgs('train.recover', args), {
        bar: 'recover',
        onProgress: printEpoch,
      });
      if (flags.json) printJson(report);
      else printRecoverReport(report);
    });
}
