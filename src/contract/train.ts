import { z } from 'zod';

/** One term of a training loss. */
export const LossTerm = z.object({
  /**
   * `cross-entropy` on labels; `distill-kl`: temperature-softened KL divergence to a teacher's
   * scores; `pseudo-label`: cross-entropy on the teacher's top class where the teacher is confident;
   * `mse` to a target of the same shape; `dot`: Σ output·R (gradient checks).
   */
  kind: z.enum(['cross-entropy', 'distill-kl', 'pseudo-label', 'mse', 'dot']),
  /** Output (or intermediate value) the term reads; default the model's first output. */
  output: z.string().optional(),
  weight: z.number().optional(),
  /** For distill-kl (default 2). */
  temperature: z.number().positive().optional(),
  /** For pseudo-label: the teacher's top probability from which its answer counts (default 0.9). */
  threshold: z.number().min(0).max(1).optional(),
  /** For cross-entropy: label smoothing ε, the target (1 − ε)·onehot + ε/classes (default 0). */
  smoothing: z.number().min(0).max(0.5).optional(),
});
export type LossTerm = z.infer<typeof LossTerm>;

/** Optimizer settings. */
export const OptimizerOptions = z.object({
  kind: z.enum(['adamw', 'sgd']).default('adamw').describe('AdamW (adaptive, a robust default) or SGD with momentum.'),
  momentum: z.number().min(0).max(0.999).default(0.9).describe('SGD momentum.'),
  nesterov: z.boolean().default(false).describe('Nesterov momentum for SGD.'),
  beta1: z.number().min(0).max(0.9999).default(0.9),
  beta2: z.number().min(0).max(0.99999).default(0.999),
  epsilon: z.number().positive().default(1e-8),
  weightDecay: z.number().min(0).max(1).default(0).describe('Weight decay (decoupled for AdamW, L2 for SGD), on weights only.'),
  clipNorm: z.number().positive().optional().describe('Clip the global gradient norm to this value.'),
});
export type OptimizerOptions = z.infer<typeof OptimizerOptions>;

/** Learning-rate schedules. */
export const ScheduleKind = z.enum(['constant', 'cosine', 'step', 'linear']);
export type ScheduleKind = z.infer<typeof ScheduleKind>;

/** Image augmentation of training batches. */
export const AugmentOptions = z.object({
  flip: z.boolean().default(false).describe('Mirror images left–right at random.'),
  shift: z.number().int().min(0).max(64).default(0).describe('Shift images by up to this many pixels.'),
  crop: z.number().min(0).max(0.5).default(0).describe('Crop up to this fraction of each side at random, then resize back.'),
});
export type AugmentOptions = z.infer<typeof AugmentOptions>;

/** One finished epoch. Accuracies are fractions in [0, 1]. */
export const EpochRecord = z.object({
  epoch: z.number().int(),
  trainLoss: z.number(),
  /** Top-1 on the training batches as they were trained (labels only). */
  trainAccuracy: z.number().optional(),
  valLoss: z.number().optional(),
  valAccuracy: z.number().optional(),
  /** Top-1 agreement with the teacher on the validation samples (distillation). */
  valAgreement: z.number().optional(),
  lr: z.number(),
  /** Wall-clock seconds of the epoch's training steps (validation not included). */
  seconds: z.number(),
  /** CPU seconds the process spent on those steps, all threads (less sensitive to a busy machine). */
  cpuSeconds: z.number().optional(),
  samplesPerSecond: z.number(),
});
export type EpochRecord = z.infer<typeof EpochRecord>;

/**
 * `detail` of the progress events of `train.run` and `distill.run`: a `step` event for every
 * training step (throttled by the host) with the running loss and accuracy of the epoch, and an
 * `epoch` event with the finished epoch's record — enough for a live loss/accuracy chart with ETA.
 */
export const TrainProgressDetail = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('step'),
    epoch: z.number().int(),
    epochs: z.number().int(),
    step: z.number().int(),
    steps: z.number().int(),
    loss: z.number(),
    accuracy: z.number().optional(),
    lr: z.number(),
    samplesPerSecond: z.number(),
    etaSeconds: z.number(),
  }),
  z.object({ kind: z.literal('epoch'), epoch: z.number().int(), epochs: z.number().int(), record: EpochRecord, etaSeconds: z.number() }),
]);
export type TrainProgressDetail = z.infer<typeof TrainProgressDetail>;

/** Arguments of a training run (`lithe train`). */
export const TrainArgs = z
  .object({
    model: z.string().min(1),
    /** Training data: image folder (class subfolders = labels), IDX, .npy/.npz or raw float32. */
    data: z.string().min(1),
    labels: z.string().min(1).optional(),
    /** Validation data; without it a share of the training data is held out (`valSplit`). */
    valData: z.string().min(1).optional(),
    valLabels: z.string().min(1).optional(),
    normalize: z.string().min(1).optional(),
    /** Run folder (new, or an earlier training run with `resume`); defaults to a new folder among the runs. */
    outDir: z.string().min(1).optional(),
    epochs: z.number().int().min(1).max(100000).default(3),
    /** Peak learning rate; default 3e-3 from fresh weights (`init` random), 1e-3 when fine-tuning. */
    lr: z.number().positive().max(10).optional(),
    batchSize: z.number().int().min(1).max(65536).default(64),
    /** `keep` fine-tunes the model's weights; `random` starts from fresh weights (training from scratch). */
    init: z.enum(['keep', 'random']).default('keep'),
    optimizer: OptimizerOptions.default(OptimizerOptions.parse({})),
    /** How the learning rate changes over the run: by default it decays linearly to 0 at the last step. */
    schedule: ScheduleKind.default('linear'),
    /** Steps over which the learning rate rises to its peak; default the first 3 % of the run's steps. */
    warmupSteps: z.number().int().min(0).optional(),
    /**
     * Label smoothing ε of the cross-entropy on labels: the target is (1 − ε)·onehot + ε/classes.
     * Default 0.1; 0 trains on the labels as they are (less confident scores make a model a somewhat
     * weaker teacher for distillation).
     */
    labelSmoothing: z.number().min(0).max(0.5).default(0.1),
    augment: AugmentOptions.default(AugmentOptions.parse({})),
    /** BatchNormalization: batch statistics while training (`train`) or the stored ones (`frozen`). */
    batchNorm: z.enum(['train', 'frozen']).default('train'),
    /** Share of the training data held out for validation when no validation data is given (0: none). */
    valSplit: z.number().min(0).max(0.5).default(0.05),
    /** Stop when validation has not improved for this many epochs, keeping the best weights. */
    patience: z.number().int().min(1).optional(),
    /** Use at most this many training samples. */
    limit: z.number().int().min(1).optional(),
    /** onnxruntime intra-op threads (0: all cores). */
    threads: z.number().int().min(0).max(256).default(0),
    seed: z.number().int().default(1),
    /** Continue the run in `outDir` from its last checkpoint. */
    resume: z.boolean().default(false),
  })
  .strict();
export type TrainArgs = z.infer<typeof TrainArgs>;

/** A model file on one side of a training run. */
export const TrainedFile = z.object({
  path: z.string(),
  format: z.enum(['onnx', 'tflite']),
  sizeBytes: z.number().int(),
  sha256: z.string(),
});

/** Everything a training run recorded (`report.json`). */
export const TrainReport = z.object({
  schema: z.literal('lithe.train/1'),
  createdAt: z.string(),
  runDir: z.string(),
  versions: z.record(z.string(), z.string()),
  /** What ran: `train` or `distill`. */
  kind: z.enum(['train', 'distill']),
  /** How a derived student was made (distillation with a width): channels kept per layer. */
  student: z
    .object({
      width: z.number(),
      parameters: z.object({ student: z.number().int(), teacher: z.number().int() }),
      layers: z.array(z.object({ node: z.string(), kept: z.number().int(), of: z.number().int() })),
      /** The derived student before training, written beside the result. */
      initialPath: z.string(),
    })
    .optional(),
  input: TrainedFile,
  output: TrainedFile,
  teacher: TrainedFile.optional(),
  data: z.object({ description: z.string(), samples: z.number().int(), labelled: z.boolean() }),
  validation: z.object({ description: z.string(), samples: z.number().int(), labelled: z.boolean() }).optional(),
  settings: z.record(z.string(), z.unknown()),
  loss: z.array(LossTerm),
  parameters: z.object({ trained: z.number().int(), total: z.number().int() }),
  history: z.array(EpochRecord),
  /** The epoch whose weights were written (the best one when early stopping kept it). */
  keptEpoch: z.number().int(),
  stoppedEarly: z.boolean(),
  resumedFrom: z.number().int().optional(),
  /** The written model, loaded again in its runtime and run on the validation samples. */
  verification: z.object({
    runtime: z.string(),
    samples: z.number().int(),
    accuracy: z.number().optional(),
    agreement: z.number().optional(),
    /** The same measure from the training session's last validation, for comparison. */
    duringTraining: z.number().optional(),
  }),
  /** Peak resident memory of the process that trained (bytes) and the onnxruntime threads it used. */
  resources: z.object({ peakRssBytes: z.number().int(), threads: z.number().int() }),
  durationMs: z.number(),
  warnings: z.array(z.string()),
});
export type TrainReport = z.infer<typeof TrainReport>;

/** Arguments of a distillation run (`lithe distill`): a student trained to match a teacher on data. */
export const DistillArgs = TrainArgs.omit({ model: true, init: true })
  .extend({
    /** The teacher model (any model Lithe can run). */
    teacher: z.string().min(1),
    /** A student model file; or derive one from the teacher with `width`. */
    student: z.string().min(1).optional(),
    /** Keep this fraction of every layer's channels (the teacher's largest filters) for a derived student. */
    width: z.number().gt(0).max(1).optional(),
    /**
     * Softening temperature of the distillation loss. 2, not higher: as the temperature grows the loss
     * tends to matching every class score of the teacher, which a much smaller student cannot do; at
     * 1–2 it spends its few parameters on the classes that matter.
     */
    temperature: z.number().positive().default(2),
    /**
     * Larger steps than `train`'s, annealed to zero: a student (cut from the teacher or given) is
     * trained almost from the start rather than fine-tuned, and soft targets vary far less from one
     * sample to the next than labels do, so it tolerates a larger learning rate; the cosine schedule
     * takes the noise of those steps out at the end.
     */
    lr: z.number().positive().max(10).default(3e-3),
    schedule: ScheduleKind.default('cosine'),
    /** No warm-up: the student starts from the teacher's filters, not from fresh weights. */
    warmupSteps: z.number().int().min(0).default(0),
    /** No label smoothing on labels: the teacher's softened scores already do that part. */
    labelSmoothing: z.number().min(0).max(0.5).default(0),
    /** With labels: the weight of the distillation term (1 − alpha goes to cross-entropy on the labels). */
    alpha: z.number().min(0).max(1).default(0.5),
    /**
     * Without labels: the teacher's top class stands in for a label on the samples where its top
     * probability is at least this; the (1 − alpha) cross-entropy term then trains on those. On by
     * default at 0.8: on fashion_mnist_cnn's width-0.25 student (10 epochs, seeds 1–3) it gave
     * 88.54–88.72 % against 88.41–88.43 % for the softened teacher alone. `false` turns it off.
     */
    pseudoLabels: z.union([z.number().min(0).max(1), z.literal(false)]).default(0.8),
  })
  .strict()
  .refine((a) => (a.student === undefined) !== (a.width === undefined), { message: 'give either a student model or a width, not both' });
export type DistillArgs = z.infer<typeof DistillArgs>;

/**
 * Arguments of `train.recover` ("retrain to recover accuracy"): an optimization run whose result
 * lost accuracy, and data to retrain on (labels optional: without them the original model teaches).
 */
export const RecoverArgs = TrainArgs.pick({
  data: true,
  labels: true,
  valData: true,
  valLabels: true,
  normalize: true,
  batchSize: true,
  limit: true,
  threads: true,
  seed: true,
  outDir: true,
})
  .extend({
    /** The optimization run folder; its report.json names the original model, the result and the recipe. */
    run: z.string().min(1),
    epochs: z.number().int().min(1).max(1000).default(2),
    /** Small: the model is already trained. */
    lr: z.number().positive().max(1).default(1e-4),
  })
  .strict();
export type RecoverArgs = z.infer<typeof RecoverArgs>;

/** Top-1 accuracy (with labels) and top-1 agreement with the original model, as fractions, on the same samples. */
export const RecoverMeasure = z.object({
  samples: z.number().int(),
  accuracy: z.number().optional(),
  agreement: z.number().optional(),
});
export type RecoverMeasure = z.infer<typeof RecoverMeasure>;

/** What `train.recover` did (`recovery.json` in its run folder, beside the run's own report.json). */
export const RecoverReport = z.object({
  schema: z.literal('lithe.recover/1'),
  createdAt: z.string(),
  /** The new run folder: an optimization run (quantization-aware) or a training run (fine-tune). */
  runDir: z.string(),
  /**
   * `quantization-aware`: the recipe ran again from the original with its quantization step trained
   * (int8-static → int8-qat, int4-weights → int4-qat). `fine-tune`: the optimized model was trained
   * towards the original's answers (and the labels), keeping pruned weights at zero.
   */
  method: z.enum(['quantization-aware', 'fine-tune']),
  original: z.string(),
  optimized: z.string(),
  output: TrainedFile,
  /** Measured on the same samples: the original, the optimized model before retraining, and after. */
  measuredOn: z.object({ description: z.string(), heldOut: z.boolean() }),
  reference: RecoverMeasure,
  before: RecoverMeasure,
  after: RecoverMeasure,
  /** True when the measure (accuracy with labels, else agreement) rose. */
  improved: z.boolean(),
  history: z.array(EpochRecord),
  notes: z.array(z.string()),
  durationMs: z.number(),
});
export type RecoverReport = z.infer<typeof RecoverReport>;
