import { z } from 'zod';
import { BenchCompareResult } from './bench';
import { ErrorInfo } from './errors';
import { FidelityVerdict, OptimizeArgs, OptimizeReport } from './optimize';
import { FilePath, ModelFormat } from './schemas';
import { SearchReport } from './search';

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
  /** The verification verdict: identical, within float rounding, close, changed. */
  verdict: FidelityVerdict.optional(),
  /** The verification verdict in words ("within float rounding", "close: cosine 0.9990"). */
  words: z.string().optional(),
  /** False when the recipe changed nothing for this model. */
  changed: z.boolean().optional(),
  /** Why the recipe did less than it promises for this model (see OptimizeReport.shortfall). */
  shortfall: z.string().optional(),
  /** Steps that were undone, by pass name. */
  undoneSteps: z.array(z.string()).optional(),
  durationMs: z.number().optional(),
});
export type BatchItem = z.infer<typeof BatchItem>;

/** One of N deterministic parts of a batch (1-based `index`), so several machines can share a folder. */
export const BatchShard = z
  .object({ index: z.number().int().min(1), count: z.number().int().min(1).max(100_000) })
  .refine((shard) => shard.index <= shard.count, { message: 'The shard index must be between 1 and the shard count.' });
export type BatchShard = z.infer<typeof BatchShard>;

/** A batch's summary (`batch-summary.json`). */
export const BatchSummary = z.object({
  schema: z.literal('lithe.batch/1'),
  inputDir: z.string(),
  outDir: z.string(),
  recipe: z.string(),
  format: ModelFormat.optional(),
  shard: BatchShard.optional(),
  startedAt: z.string(),
  finishedAt: z.string(),
  counts: z.object({ done: z.number().int(), skipped: z.number().int(), failed: z.number().int() }),
  items: z.array(BatchItem),
});
export type BatchSummary = z.infer<typeof BatchSummary>;

/** Arguments of `batch.run`; `outDir` defaults to a new folder among the runs. */
export const BatchArgs = z
  .object({
    inputDir: FilePath,
    outDir: FilePath.optional(),
    /** Built-in recipe name or path of a recipe JSON file. */
    recipe: z.string().min(1).default('graph'),
    format: ModelFormat.optional(),
    /** Models optimized at once (each a job; the engine's job limit caps how many run together). */
    jobs: z.number().int().min(1).max(64).default(1),
    /** Only this part of the folder (deterministic split by a hash of the path). */
    shard: BatchShard.optional(),
  })
  .strict();
export type BatchArgs = z.infer<typeof BatchArgs>;

/** Arguments of `batch.merge`: the output folder holding every shard's summary. */
export const BatchMergeArgs = z.object({ outDir: FilePath }).strict();
export type BatchMergeArgs = z.infer<typeof BatchMergeArgs>;

/** What an optimization among the runs was asked to do (`request.json`), so it can run again. */
export const RunRequest = OptimizeArgs.omit({ outDir: true });
export type RunRequest = z.infer<typeof RunRequest>;

/** An optimization that failed or was cancelled (`failure.json` in its run folder): what was asked and why it stopped. */
export const RunFailure = z.object({
  schema: z.literal('lithe.failure/1'),
  createdAt: z.string(),
  request: RunRequest,
  cancelled: z.boolean(),
  error: ErrorInfo,
});
export type RunFailure = z.infer<typeof RunFailure>;

/** A speed check of a run's result against its original (`speed.json` in its run folder), kept so a reopened run shows it. */
export const RunSpeed = z.object({
  schema: z.literal('lithe.speed/1'),
  measuredAt: z.string(),
  result: BenchCompareResult,
});
export type RunSpeed = z.infer<typeof RunSpeed>;

/** Arguments of `runs.recordSpeed`: a run folder and the A/B comparison of its original (A) and its result (B). */
export const RunSpeedArgs = z.object({ dir: FilePath, result: BenchCompareResult }).strict();
export type RunSpeedArgs = z.infer<typeof RunSpeedArgs>;

/** A past run found in the runs folder. */
export const RunEntry = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('optimize'),
    dir: z.string(),
    createdAt: z.string(),
    report: OptimizeReport,
    /** Absent for runs made before requests were recorded. */
    request: RunRequest.optional(),
    /** The last speed check of this run's result, when one was made. */
    speed: RunSpeed.optional(),
  }),
  z.object({ kind: z.literal('failed'), dir: z.string(), createdAt: z.string(), failure: RunFailure }),
  z.object({ kind: z.literal('batch'), dir: z.string(), createdAt: z.string(), summary: BatchSummary }),
  /** A search (`search.run`): its summary, `candidates.json`. */
  z.object({ kind: z.literal('search'), dir: z.string(), createdAt: z.string(), report: SearchReport }),
]);
export type RunEntry = z.infer<typeof RunEntry>;

/** The runs folder and the runs in it, newest first; unreadable folders are listed with a reason. */
export const RunList = z.object({
  folder: z.string(),
  runs: z.array(RunEntry),
  skipped: z.array(z.object({ dir: z.string(), reason: z.string() })),
});
export type RunList = z.infer<typeof RunList>;

/** Arguments of `runs.delete`: a run folder directly inside the runs folder. */
export const RunDeleteArgs = z.object({ dir: FilePath }).strict();
export type RunDeleteArgs = z.infer<typeof RunDeleteArgs>;
