import { z } from 'zod';

/** Options every fine-tuning compression pass shares. */
export const fineTuneOptions = {
  lr: z.number().positive().max(1).default(0.001).describe('Learning rate (AdamW, cosine schedule).'),
  batchSize: z.number().int().min(1).max(4096).default(64),
  samples: z.number().int().min(1).optional().describe('Use at most this many samples of the data for training.'),
  distill: z.boolean().default(true).describe('Also learn from the model as it was before pruning (distillation), besides the labels.'),
};
