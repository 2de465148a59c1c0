import { z } from 'zod';
import { inputLayout } from '../../data/input-layout';
import { encodeOnnx } from '../../formats/onnx';
import { LitheError } from '../../errors';
import { definePass } from '../../passes/pass';
import { adoptModel } from '../../quantize/onnx/adopt-model';
import { seededRandom } from '../../util/seeded-random';
import { fineTune } from '../fine-tune';
import { DISTILL_TEMPERATURE } from '../losses/distill-kl';
import { TRAINING_TOLERANCE } from '../qat/qat-pass';
import { holdOut, loadSamples, withoutLabels } from '../samples';
import { openTeacher } from '../teacher';
import { applyWeights } from '../write-back';
import { matchStatistics } from './match-statistics';
import { widthStudent } from './width-student';

/** Replaces the model by a narrower student trained to give its answers (the recipe form of `lithe distill --width`). */
export const distillWidth = definePass({
  name: 'distill-width',
  title: 'Make the model narrower, trained to match the original',
  description:
    'Builds a smaller model that keeps a fraction of every layer’s channels (the most important filters of the original), then trains it on your data to give ' +
    'the original’s answers. Much smaller and faster; needs data (labels optional). Check the accuracy the report measures.',
  options: z.object({
    width: z.number().gt(0).max(1).default(0.5).describe('Fraction of every layer’s channels to keep.'),
    epochs: z.number().int().min(1).max(1000).default(3).describe('Passes over the training data.'),
    lr: z
      .number()
      .positive()
      .max(1)
      .default(3e-3)
      .describe('Peak learning rate (cosine schedule; why larger than training’s: see DistillArgs).'),
    batchSize: z.number().int().min(1).max(65536).default(64).describe('Samples per training step.'),
    samples: z.number().int().min(1).optional().describe('Use at most this many training samples (default: all).'),
    temperature: z.number().positive().default(DISTILL_TEMPERATURE).describe('Softening temperature of the distillation loss.'),
    threads: z.number().int().min(0).max(256).default(0).describe('onnxruntime threads (0: all cores).'),
    seed: z.number().int().default(1),
  }),
  // A TFLite teacher distills through `lithe distill`, which trains its ONNX form.
  formats: ['onnx'],
  tolerance: TRAINING_TOLERANCE,
  async run(model, options, ctx) {
    if (!ctx.data || ctx.data.random)
      throw new LitheError('invalid-argument', 'Distillation needs training data: give --data (labels are optional).');
    const samples = await loadSamples(ctx.data, options.samples ? { limit: options.samples } : {}, ctx);
    const { train, validation } =
      samples.count >= 1000
        ? holdOut(samples, Math.min(0.05, 2000 / samples.count), seededRandom(options.seed))
        : { train: samples, validation: undefined };
    const unlabelled = withoutLabels(train);
    // The held-out samples also choose the epoch that is kept, by agreement with the original alone (no labels).
    const selection = validation ? withoutLabels(validation) : undefined;
    const student = widthStudent(model, options.width);
    await matchStatistics(student, model, unlabelled, { fixedBatch: inputLayout(model).fixedBatch });
    const teacher = await openTeacher(encodeOnnx(model), 'onnx', { threads: options.threads }, model);
    let result;
    try {
      result = await fineTune(
        student.model,
        {
          data: unlabelled,
          ...(validation && selection ? { validation, selection } : {}),
          teacher,
          loss: [{ kind: 'distill-kl', temperature: options.temperature }],
          epochs: options.epochs,
          batchSize: options.batchSize,
          lr: options.lr,
          schedule: 'cosine',
          session: { threads: options.threads },
          seed: options.seed,
        },
        ctx,
      );
    } finally {
      await teacher.release();
    }
    applyWeights(student.model, result.weights);
    adoptModel(model, student.model);
    const kept = result.selectionAgreement?.[result.keptEpoch - 1];
    return {
      changed: true,
      stats: { epochs: result.history.length, parametersBefore: student.parameters.teacher, parametersAfter: student.parameters.student },
      notes: [
        `Student keeps ${options.width} of every layer’s channels: ${student.parameters.student} of ${student.parameters.teacher} parameters; ` +
          `trained ${result.history.length} epoch(s) on ${train.count} samples from the original’s outputs (no labels).`,
        ...(kept !== undefined
          ? [
              `Kept epoch ${result.keptEpoch} of ${result.history.length}, the one that agreed best with the original on ${validation?.count} held-out samples: ${(kept * 100).toFixed(2)} %.`,
            ]
          : []),
      ],
    };
  },
});
