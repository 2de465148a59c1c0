import { z } from 'zod';
import { MachineInfo, Verdict } from './bench';
import { DeviceEstimate, DeviceId } from './devices';
import { FilePath } from './schemas';

/** What the search optimizes for. */
export const SearchGoal = z.enum(['fastest', 'smallest', 'balanced', 'accurate']);
export type SearchGoal = z.infer<typeof SearchGoal>;

/** Arguments of `search.run`. */
export const SearchArgs = z
  .object({
    model: FilePath,
    /** Run folder to create; defaults to a new folder among the runs. */
    outDir: FilePath.optional(),
    goal: SearchGoal.default('fastest'),
    /** Target device profile: candidates it cannot run well are ranked down, its estimates reported. */
    deviceId: DeviceId.optional(),
    /** Data for calibration and the accuracy check (as for `optimize.run`). */
    data: FilePath.optional(),
    labels: FilePath.optional(),
    normalize: z.string().min(1).optional(),
    /** Wall-clock budget of the whole search, minutes; candidates not reached in time are said so. */
    budgetMinutes: z
      .number()
      .positive()
      .max(24 * 60)
      .default(10),
    /** Intra-op threads the original and every candidate are measured with. */
    threads: z.number().int().min(1).max(256).default(1),
    /** Smallest cosine similarity to the original's outputs a candidate must keep (default by goal). */
    minCosine: z.number().min(0).max(1).optional(),
    /** Smallest speed-up called one (0.05 = the candidate's median must be at least 5 % lower, the whole interval). */
    minEffect: z.number().min(0).max(1).default(0.05),
    /** Interleaved pairs of the final A/B rounds (the first round uses a fifth of them). */
    pairs: z.number().int().min(20).max(100_000).default(200),
  })
  .strict();
export type SearchArgs = z.infer<typeof SearchArgs>;

/** The A/B measurement of a candidate against the original, in one process, runs interleaved. */
export const CandidateSpeed = z.object({
  /** median(candidate) / median(original): below 1 is faster. */
  ratio: z.number(),
  /** The 95 % bootstrap interval of the ratio. */
  low: z.number(),
  high: z.number(),
  verdict: Verdict,
  originalMedianMs: z.number(),
  candidateMedianMs: z.number(),
  pairs: z.number().int(),
  /** Which successive-halving round measured it last (1 = the short first round). */
  round: z.number().int().min(1),
});
export type CandidateSpeed = z.infer<typeof CandidateSpeed>;

/** Where a candidate ended in the search. */
export const CandidateStatus = z.enum([
  /** The original model itself, the baseline every candidate is measured against. */
  'baseline',
  /** Built, verified and measured in the final round. */
  'measured',
  /** Measured in the first round, then dropped: it could not win. */
  'pruned',
  /** Its outputs moved further from the original's than the goal allows. */
  'rejected',
  /** The recipe changed nothing beyond an earlier candidate (same bytes). */
  'duplicate',
  /** The recipe failed or the model could not be measured. */
  'failed',
  /** Not built or not measured: the time budget ran out, or it had nothing to try (its note says which). */
  'skipped',
]);
export type CandidateStatus = z.infer<typeof CandidateStatus>;

/** One layer of a model timed in float and in int8 (the runtime's profile mapped back onto the model's nodes). */
export const LayerSpeed = z.object({
  /** Output names of the layer's nodes (what the int8 recipe's `exclude` takes). */
  outputs: z.array(z.string()),
  /** Name of the layer's first node as written (may be empty). */
  name: z.string(),
  opTypes: z.array(z.string()),
  /** Median time per inference, ms. */
  floatMs: z.number(),
  int8Ms: z.number(),
  /** median(int8) / median(float) over paired runs with its 95 % interval; absent when float ran it fused into another layer. */
  ratio: z.object({ median: z.number(), low: z.number(), high: z.number() }).optional(),
  /** Measured slower in int8 (the whole interval above 1 + the minimum effect). */
  slower: z.boolean(),
});
export type LayerSpeed = z.infer<typeof LayerSpeed>;

/** One candidate: a recipe's model in a runtime configuration. */
export const SearchCandidate = z.object({
  /** Short, unique in the search (`int8-static`, `original`). */
  id: z.string(),
  title: z.string(),
  /** The recipe that made it; absent for the original. */
  recipe: z.string().optional(),
  /** The candidate's model file; the original's path for the original. */
  model: z.string(),
  /** Its optimize run folder (report.json, report.html); absent for the original. */
  runDir: z.string().optional(),
  sizeBytes: z.number().int().nonnegative(),
  threads: z.number().int(),
  status: CandidateStatus,
  /** One plain sentence on what happened to it. */
  note: z.string(),
  /** Agreement with the original on the verification inputs. */
  fidelity: z
    .object({
      cosine: z.number(),
      maxRelative: z.number().optional(),
      top1Agreement: z.number().optional(),
      /** `data` when the user's data was used, else generated inputs. */
      inputs: z.enum(['random', 'data']),
    })
    .optional(),
  /** Top-1 accuracy on the user's labelled data, before is the original's. */
  accuracy: z.object({ top1: z.number(), originalTop1: z.number() }).optional(),
  speed: CandidateSpeed.optional(),
  /** Estimated latency and fit on the target device, when one was named. */
  device: DeviceEstimate.optional(),
  /** For a candidate built from a per-layer profile: every layer's float and int8 time (slowest in int8 first). */
  layers: z.array(LayerSpeed).optional(),
});
export type SearchCandidate = z.infer<typeof SearchCandidate>;

/** Result of `search.run` (also `search.json` in the run folder). */
export const SearchReport = z.object({
  schema: z.literal('lithe.search/1'),
  createdAt: z.string(),
  runDir: z.string(),
  model: z.string(),
  goal: SearchGoal,
  deviceId: z.string().optional(),
  machine: MachineInfo,
  threads: z.number().int(),
  minCosine: z.number(),
  minEffect: z.number(),
  budgetMinutes: z.number(),
  /** The pick: a candidate, or the original when none serves the goal better. */
  chosen: z.object({
    id: z.string(),
    /** Path of the chosen model file (the original's own path when nothing beat it). */
    model: z.string(),
    /** `no faster candidate` / `no smaller candidate` … when the original is returned. */
    label: z.string(),
    /** Why, in plain words, with the measured numbers. */
    reason: z.string(),
    isOriginal: z.boolean(),
  }),
  candidates: z.array(SearchCandidate),
  counts: z.object({ built: z.number().int(), measured: z.number().int(), pruned: z.number().int(), rejected: z.number().int() }),
  wallSeconds: z.number(),
  files: z.object({ json: z.string(), csv: z.string() }),
  warnings: z.array(z.string()),
});
export type SearchReport = z.infer<typeof SearchReport>;
