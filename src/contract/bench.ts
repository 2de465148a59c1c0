import { z } from 'zod';
import { FilePath } from './schemas';

/** ONNX Runtime graph optimization level. */
export const OptLevel = z.enum(['disabled', 'basic', 'extended', 'all']);
export type OptLevel = z.infer<typeof OptLevel>;

/** ONNX Runtime execution mode: operators one at a time, or independent branches in parallel. */
export const ExecutionMode = z.enum(['sequential', 'parallel']);
export type ExecutionMode = z.infer<typeof ExecutionMode>;

/** One runtime configuration a model is measured in. */
export const BenchConfig = z.object({
  /** `tflite` for .tflite models (XNNPACK wasm; only `threads` applies, the other ORT settings below do not). */
  runtime: z.enum(['onnxruntime', 'tflite']).default('onnxruntime'),
  /** Execution provider as ONNX Runtime names it (`cpu`, `webgpu`, …); `xnnpack-wasm` for TFLite. */
  executionProvider: z.string().min(1).max(32).default('cpu'),
  /** Intra-op threads; 0 lets ONNX Runtime choose. */
  threads: z.number().int().min(0).max(256).default(1),
  /** Inter-op threads (only used in parallel execution mode); 0 lets ONNX Runtime choose. */
  interOpThreads: z.number().int().min(0).max(256).default(1),
  optLevel: OptLevel.default('all'),
  executionMode: ExecutionMode.default('sequential'),
});
export type BenchConfig = z.infer<typeof BenchConfig>;

/**
 * How the inputs are made. Dynamic dimensions are filled from `dims` (by dimension name, or
 * `input:axis`), else by the documented defaults (see each result's `inputs[].assumed`).
 */
export const InputOptions = z.object({
  dims: z
    .record(
      z.string().max(128),
      z
        .number()
        .int()
        .min(1)
        .max(1 << 20),
    )
    .default({}),
  /** Inputs filled with one constant instead of random values, by input name (e.g. `{ sr: 16000 }`). */
  values: z.record(z.string().max(128), z.number()).default({}),
  /** Seed of the pseudo-random input values (same seed, same inputs). */
  seed: z.number().int().default(1),
  /** Real inputs instead: a folder in the ONNX test-data layout (`input_0.pb`, … serialized TensorProto). */
  dataFolder: FilePath.optional(),
});
export type InputOptions = z.infer<typeof InputOptions>;

/** How long to warm up and how long to measure. */
export const RunPlan = z.object({
  /** Warm-up runs after the first inference (ignored when `warmupSeconds` is set). */
  warmupRuns: z.number().int().min(0).max(100_000).default(10),
  warmupSeconds: z.number().positive().max(3600).optional(),
  /** Measured runs (ignored when `durationSeconds` is set). */
  runs: z.number().int().min(1).max(1_000_000).default(100),
  durationSeconds: z.number().positive().max(3600).optional(),
  /** Also record a per-operator profile (a separate profiled session, so it does not skew the latency). */
  profile: z.boolean().default(false),
  /** Runs used for the profile. */
  profileRuns: z.number().int().min(1).max(10_000).default(20),
});
export type RunPlan = z.infer<typeof RunPlan>;

/** Latency statistics in milliseconds. */
export const LatencyStats = z.object({
  min: z.number(),
  mean: z.number(),
  p50: z.number(),
  p90: z.number(),
  p95: z.number(),
  p99: z.number(),
  max: z.number(),
  std: z.number(),
});
export type LatencyStats = z.infer<typeof LatencyStats>;

/** A histogram for a distribution chart: `counts[i]` samples in `[startMs + i·binMs, startMs + (i+1)·binMs)`. */
export const Histogram = z.object({
  startMs: z.number(),
  binMs: z.number().positive(),
  counts: z.array(z.number().int().nonnegative()),
});
export type Histogram = z.infer<typeof Histogram>;

/** One model input as it was fed: dtype, concrete shape, and which dimensions were assumed. */
export const InputUsed = z.object({
  name: z.string(),
  dtype: z.string(),
  shape: z.array(z.number().int().nonnegative()),
  declaredShape: z.array(z.union([z.number(), z.string(), z.null()])),
  /** Human sentences such as `dim "N" (axis 0) = 1: batch default`. Empty when nothing was assumed. */
  assumed: z.array(z.string()),
});
export type InputUsed = z.infer<typeof InputUsed>;

/** Time spent in one operator type or node, over the profiled runs. */
export const OpTime = z.object({
  /** Operator type (`Conv`) or node name. */
  name: z.string(),
  opType: z.string(),
  /** Mean milliseconds per inference. */
  meanMs: z.number().nonnegative(),
  /** Share of all operator time, in [0, 1]. */
  share: z.number().min(0).max(1),
  /** Node executions per inference (for op types: the number of nodes). */
  count: z.number().nonnegative(),
});
export type OpTime = z.infer<typeof OpTime>;

/** Per-operator profile from ONNX Runtime's profiler, for the top-N chart. */
export const OpProfile = z.object({
  runs: z.number().int().nonnegative(),
  /** Mean operator milliseconds per inference (sum of node self times). */
  totalMs: z.number().nonnegative(),
  /** Every operator type, slowest first. */
  byOpType: z.array(OpTime),
  /** The slowest nodes, slowest first (top 30). */
  byNode: z.array(OpTime),
});
export type OpProfile = z.infer<typeof OpProfile>;

/** The measurement of one model in one configuration. */
export const BenchResult = z.object({
  model: z.string(),
  modelName: z.string(),
  modelBytes: z.number().int().nonnegative(),
  runtime: z.string(),
  executionProvider: z.string(),
  threads: z.number().int(),
  interOpThreads: z.number().int(),
  optLevel: OptLevel,
  executionMode: ExecutionMode,
  inputs: z.array(InputUsed),
  /** Session creation (model load and graph optimization), ms. */
  initMs: z.number().nonnegative(),
  /** The first inference, ms (often slower: allocations, lazy init). */
  firstMs: z.number().nonnegative(),
  warmupRuns: z.number().int().nonnegative(),
  runs: z.number().int().positive(),
  latencyMs: LatencyStats,
  /** Inferences per second: runs / total measured time. */
  throughput: z.number().nonnegative(),
  /**
   * `process`: measured alone in a process of its own, so the memory figures are this
   * configuration's; `thread`: measured inside a shared process (memory figures include it).
   */
  isolation: z.enum(['process', 'thread']).default('thread'),
  /** Peak resident memory of the process that ran this configuration (bytes). */
  peakRssBytes: z.number().int().nonnegative(),
  /** Resident memory before the model was loaded (the runtime itself), bytes. */
  baselineRssBytes: z.number().int().nonnegative(),
  /** Resident memory added by creating the session (model load), bytes. May be 0. */
  modelLoadRssBytes: z.number().int(),
  /** Every measured latency in run order, ms (for the distribution chart). */
  samplesMs: z.array(z.number()),
  histogram: Histogram,
  profile: OpProfile.optional(),
});
export type BenchResult = z.infer<typeof BenchResult>;

/** A model and configuration that could not be measured. */
export const BenchFailure = z.object({
  model: z.string(),
  config: BenchConfig.optional(),
  code: z.string(),
  message: z.string(),
});
export type BenchFailure = z.infer<typeof BenchFailure>;

/** One configuration of a `bench.run` as soon as it is known (the progress `detail` of that command). */
export const BenchOutcome = z.union([z.object({ result: BenchResult }), z.object({ failure: BenchFailure })]);
export type BenchOutcome = z.infer<typeof BenchOutcome>;

/** Values to sweep; every combination is one configuration, measured in its own process, one at a time. */
export const BenchSweep = z.object({
  executionProviders: z.array(z.string().min(1).max(32)).min(1).max(8).default(['cpu']),
  /** Intra-op thread counts. */
  threads: z.array(z.number().int().min(0).max(256)).min(1).max(64).default([1]),
  optLevels: z.array(OptLevel).min(1).max(4).default(['all']),
  executionModes: z.array(ExecutionMode).min(1).max(2).default(['sequential']),
});
export type BenchSweep = z.infer<typeof BenchSweep>;

/** The machine the numbers were measured on. */
export const MachineInfo = z.object({
  cpu: z.string(),
  cores: z.number().int(),
  totalMemoryBytes: z.number().int(),
  platform: z.string(),
  arch: z.string(),
  node: z.string(),
  onnxruntime: z.string(),
});
export type MachineInfo = z.infer<typeof MachineInfo>;

/** Arguments of `bench.run`. */
export const BenchRunArgs = z
  .object({
    models: z.array(FilePath).min(1).max(64),
    sweep: BenchSweep.default({ executionProviders: ['cpu'], threads: [1], optLevels: ['all'], executionModes: ['sequential'] }),
    plan: RunPlan.default({ warmupRuns: 10, runs: 100, profile: false, profileRuns: 20 }),
    inputs: InputOptions.default({ dims: {}, values: {}, seed: 1 }),
  })
  .strict();
export type BenchRunArgs = z.infer<typeof BenchRunArgs>;

/** Result of `bench.run`: one result per model × configuration that ran, and the failures. */
export const BenchRunResult = z.object({
  machine: MachineInfo,
  startedAt: z.string(),
  results: z.array(BenchResult),
  failures: z.array(BenchFailure),
});
export type BenchRunResult = z.infer<typeof BenchRunResult>;

/** One side of an A/B comparison. */
export const CompareSide = z.object({
  model: FilePath,
  config: BenchConfig.default({
    runtime: 'onnxruntime',
    executionProvider: 'cpu',
    threads: 1,
    interOpThreads: 1,
    optLevel: 'all',
    executionMode: 'sequential',
  }),
});
export type CompareSide = z.infer<typeof CompareSide>;

/** Arguments of `bench.compare`: B is judged against A (the baseline). */
export const BenchCompareArgs = z
  .object({
    a: CompareSide,
    b: CompareSide,
    /** Interleaved pairs of runs (A and B alternate, order randomised per pair). */
    pairs: z.number().int().min(10).max(100_000).default(300),
    warmupRuns: z.number().int().min(0).max(10_000).default(20),
    /** Smallest change of the median called a difference (0.05 = 5 %). */
    minEffect: z.number().min(0).max(1).default(0.05),
    /** B is an optimized version of A: a slower B gets a warning with likely causes. */
    bIsOptimized: z.boolean().default(false),
    inputs: InputOptions.default({ dims: {}, values: {}, seed: 1 }),
  })
  .strict();
export type BenchCompareArgs = z.infer<typeof BenchCompareArgs>;

/** What one side measured during an A/B comparison. */
export const CompareSideResult = z.object({
  model: z.string(),
  modelName: z.string(),
  config: BenchConfig,
  latencyMs: LatencyStats,
  samplesMs: z.array(z.number()),
  histogram: Histogram,
});
export type CompareSideResult = z.infer<typeof CompareSideResult>;

/** B relative to A. */
export const Verdict = z.enum(['faster', 'slower', 'no-significant-difference']);
export type Verdict = z.infer<typeof Verdict>;

/** Result of `bench.compare`. */
export const BenchCompareResult = z.object({
  machine: MachineInfo,
  a: CompareSideResult,
  b: CompareSideResult,
  pairs: z.number().int(),
  /** median(B) / median(A) with its bootstrap confidence interval (below 1: B is faster). */
  ratio: z.object({ median: z.number(), low: z.number(), high: z.number(), confidence: z.number() }),
  minEffect: z.number(),
  verdict: Verdict,
  /** One plain sentence, e.g. "B is 23 % faster than A (95 % CI 20–26 %)". */
  summary: z.string(),
  /** Set when B is an optimized model that came out slower. */
  warning: z.object({ message: z.string(), likelyCauses: z.array(z.string()) }).optional(),
});
export type BenchCompareResult = z.infer<typeof BenchCompareResult>;
