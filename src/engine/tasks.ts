import type { CommandResult, ParsedArgs } from '../contract';
import type { BenchResult } from '../contract/bench';
import type { SearchCandidate } from '../contract/search';
import type { ConfigJob } from './bench/run-config';
import type { EngineContext } from './context';
import type { OptimizeRequest } from './optimize/optimize-model';
import type { Int8LayerSpeed } from './search/int8-layer-speed';

// The functions jobs run inside worker threads: plain data in, plain data out. The table's type is
// what `engineTask(name)` hands the job runner's callers, so a task and its callers cannot drift.
// Each task imports what it needs when it runs, so a worker loads only its own task's modules.

type SearchFidelity = NonNullable<SearchCandidate['fidelity']>;

/** Every task a job can run, by name. */
export const tasks = {
  /** Identifies a file by content and hashes it. */
  identify: async (args: ParsedArgs<'file.identify'>, ctx: EngineContext): Promise<CommandResult<'file.identify'>> =>
    (await import('./files/identify-file')).identifyFile(args.path, ctx),
  /** Summarizes a model for the model page (see inspectModel). */
  inspect: async (args: ParsedArgs<'model.inspect'>, ctx: EngineContext): Promise<CommandResult<'model.inspect'>> =>
    (await import('./inspect/inspect-model')).inspectModel(args.path, ctx),
  /** Reads a model and writes it in another (or the same) format. */
  convert: async (args: ParsedArgs<'model.convert'>, ctx: EngineContext): Promise<CommandResult<'model.convert'>> =>
    (await import('./inspect/convert-model')).convertModel(args.input, args.output, ctx, {
      dims: args.dims,
      exposeState: args.exposeState,
    }),
  /** Stores a model as a `.lithe` package. */
  pack: async (args: ParsedArgs<'model.pack'>, ctx: EngineContext): Promise<CommandResult<'model.pack'>> =>
    (await import('./compress/package/pack-file')).packModelFile(args.input, args.output, { replace: args.replace }, ctx),
  /** Turns a `.lithe` package back into its model file. */
  unpack: async (args: ParsedArgs<'model.unpack'>, ctx: EngineContext): Promise<CommandResult<'model.unpack'>> =>
    (await import('./compress/package/pack-file')).unpackModelFile(args.input, args.output, { replace: args.replace }, ctx),
  /** Optimizes one model into a run folder (see optimizeModel). */
  optimize: async (args: OptimizeRequest, ctx: EngineContext): Promise<CommandResult<'optimize.run'>> =>
    (await import('./optimize/optimize-model')).optimizeModel(args, ctx),
  /** Checks example data against a model (see checkData). */
  checkData: async (args: ParsedArgs<'data.check'>, ctx: EngineContext): Promise<CommandResult<'data.check'>> =>
    (await import('./data/check-data')).checkData(args, ctx),
  /** Measures a model on data (see evaluateModel). */
  evaluate: async (args: ParsedArgs<'eval.run'>, ctx: EngineContext): Promise<CommandResult<'eval.run'>> =>
    (await import('./evaluate/evaluate-model')).evaluateModel(args, ctx),
  /** Measures one benchmark configuration alone, in a child process of its own (honest peak RSS). */
  benchConfig: async (args: ConfigJob, ctx: EngineContext): Promise<BenchResult> =>
    (await import('./bench/run-in-child')).benchConfigInChild(args, ctx),
  /** A/B comparison with interleaved runs, in a child process of its own. */
  benchCompare: async (args: ParsedArgs<'bench.compare'>, ctx: EngineContext): Promise<CommandResult<'bench.compare'>> =>
    (await import('./bench/run-in-child')).benchCompareInChild(args, ctx),
  /** Trains a model on data into a run folder (see runTraining). */
  train: async (args: ParsedArgs<'train.run'> & { outDir: string }, ctx: EngineContext): Promise<CommandResult<'train.run'>> =>
    (await import('./train/training-run')).runTraining({ kind: 'train', args }, ctx),
  /** Trains a student (given, or derived from the teacher by width) to match a teacher on data (see runTraining). */
  distill: async (args: ParsedArgs<'distill.run'> & { outDir: string }, ctx: EngineContext): Promise<CommandResult<'distill.run'>> =>
    (await import('./train/training-run')).runTraining(
      {
        kind: 'distill',
        args: { ...args, model: args.student ?? args.teacher, init: 'keep' },
        ...(args.width !== undefined ? { width: args.width } : {}),
        distill: {
          teacher: args.teacher,
          temperature: args.temperature,
          alpha: args.alpha,
          ...(args.pseudoLabels !== false ? { pseudoLabels: args.pseudoLabels } : {}),
        },
      },
      ctx,
    ),
  /** Retrains an optimization's result to recover accuracy (see recoverAccuracy). */
  recover: async (args: ParsedArgs<'train.recover'> & { outDir: string }, ctx: EngineContext): Promise<CommandResult<'train.recover'>> =>
    (await import('./train/recover/recover-run')).recoverAccuracy(args, ctx),
  /** Searches measured candidates for the goal (see runSearch); each A/B in a child process of its own. */
  search: async (
    args: ParsedArgs<'search.run'> & { outDir: string; userFolder: string },
    ctx: EngineContext,
  ): Promise<CommandResult<'search.run'>> => (await import('./search/search-task')).searchTask(args, ctx),
  /** How close a search candidate's outputs are to the original's (`model`), on the same inputs (see verifyAgainst). */
  searchVerify: async (args: { model: string; candidate: string }, ctx: EngineContext): Promise<SearchFidelity> =>
    (await import('./search/verify-against')).verifyAgainst(args.model, args.candidate, ctx),
  /** A float model (`model`) and its int8 version timed layer by layer (see measureInt8Layers). */
  searchLayerSpeed: async (args: { model: string; int8Model: string; threads: number }, ctx: EngineContext): Promise<Int8LayerSpeed> =>
    (await import('./search/int8-layer-speed')).measureInt8Layers(args.model, args.int8Model, { threads: args.threads }, ctx),
  /** Estimated latency and fit of a model on device profiles (user profiles from `userFolder`). */
  devicesEstimate: async (
    args: ParsedArgs<'devices.estimate'> & { userFolder: string },
    ctx: EngineContext,
  ): Promise<CommandResult<'devices.estimate'>> => (await import('./devices/estimate')).estimateDevices(args, args.userFolder, ctx),
};

/**
 * Tasks that run ONNX Runtime on the model (folding constants, verifying, measuring, training): each
 * runs in a child process of its own, whose resident memory the job runner watches.
 */
export const childProcessTasks: ReadonlySet<keyof typeof tasks> = new Set([
  'optimize',
  'evaluate',
  'train',
  'convert',
  'distill',
  'recover',
] as const);

/** The type of the task table: names, argument and result types. */
export type EngineTasks = typeof tasks;
