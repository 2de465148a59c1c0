import { z } from 'zod';
import { OptimizeReport } from './optimize';

/** One item of a batch. */
export const BatchItem = z.object({
  model: z.string(),
  status: z.enum(['done', 'skipped', 'failed']),
  reason: z.string().optional(),
  runDir: z.string().optional(),
  inputBytes: z.number().optional(),
  outputBytes: z.number().optional(),
  nodesBefore: z.number().optional(),
  nodesAfter: z.number().optional(),
  verification: z.enum(['passed', 'failed', 'unavailable']).optional(),
  relativeError: z.number().optional(),
  cosine: z.number().optional(),
  durationMs: z.number().optional(),
});
export type BatchItem = z.infer<typeof BatchItem>;

/** A batch's summary (`batch-summary.json`). */
export const BatchSummary = z.object({
  schema: z.literal('lithe.batch/1'),
  inputDir: z.string(),
  outDir: z.string(),
  recipe: z.string(),
  format: z.enum(['onnx', 'tflite']).optional(),
  shard: z.object({ index: z.number().int(), count: z.number().int() }).optional(),
  startedAt: z.string(),
  finishedAt: z.string(),
  counts: z.object({ done: z.number().int(), skipped: z.number().int(), failed: z.number().int() }),
  items: z.array(BatchItem),
});
export type BatchSummary = z.infer<typeof BatchSummary>;

/** Arguments of a batch from the UI; `outDir` defaults to a new folder among the runs. */
export const BatchArgs = z
  .object({
    inputDir: z.string().min(1),
    outDir: z.string().min(1).optional(),
    recipe: z.string().min(1).default('graph'),
    format: z.enum(['onnx', 'tflite']).optional(),
    jobs: z.number().int().min(1).max(16).default(1),
  })
  .strict();
export type BatchArgs = z.infer<typeof BatchArgs>;

/** A past run found in the runs folder. */
export const RunEntry = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('optimize'), dir: z.string(), createdAt: z.string(), report: OptimizeReport }),
  z.object({ kind: z.literal('batch'), dir: z.string(), createdAt: z.string(), summary: BatchSummary }),
]);
export type RunEntry = z.infer<typeof RunEntry>;

/** The runs folder and the runs in it, newest first; unreadable folders are listed with a reason. */
export const RunList = z.object({
  folder: z.string(),
  runs: z.array(RunEntry),
  skipped: z.array(z.object({ dir: z.string(), reason: z.string() })),
});
export type RunList = z.infer<typeof RunList>;
