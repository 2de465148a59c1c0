import type { CommandResult, ParsedArgs } from '../contract';
import type { BenchResult } from '../contract/bench';
import { benchCompareInChild, benchConfigInChild } from './bench/run-in-child';
import type { ConfigJob } from './bench/run-config';
import { packModelFile, unpackModelFile } from './compress/package/pack-file';
import type { EngineContext } from './context';
import { estimateDevices } from './devices/estimate';
import { evaluateModel } from './evaluate/evaluate-model';
import { identifyFile } from './files/identify-file';
import { convertModel, inspectModel } from './inspect';
import { optimizeModel, type OptimizeRequest } from './optimize/optimize-model';
import { runTraining } from './train/training-run';

// The functions jobs run inside worker threads: plain data in, plain data out. The table's type is
// what `engineTask(name)` hands the job runner's callers, so a task and its callers cannot drift.

/** Every task a job can run, by name. */
export const tasks = {
  /** Identifies a file by content and hashes it. */
  identify: (args: ParsedArgs<'file.identify'>, ctx: EngineContext): Promise<CommandResult<'file.identify'>> =>
    identifyFile(args.path, ctx),
  /** Summarizes a model for the model page (see inspectModel). */
  inspect: async (args: ParsedArgs<'model.inspect'>, ctx: EngineContext): Promise<CommandResult<'model.inspect'>> =>
    inspectModel(args.path, ctx),
  /** Reads a model and writes it in another (or the same) format. */
  convert: async (args: ParsedArgs<'model.convert'>, ctx: EngineContext): Promise<CommandResult<'model.convert'>> =>
    convertModel(args.input, args.output, ctx),
  /** Stores a model as a `.lithe` package. */
  pack: async (args: ParsedArgs<'model.pack'>, ctx: EngineContext): Promise<CommandResult<'model.pack'>> =>
    packModelFile(args.input, args.output, { replace: args.replace }, ctx),
  /** Turns a `.lithe` package back into its model file. */
  unpack: async (args: ParsedArgs<'model.unpack'>, ctx: EngineContext): Promise<CommandResult<'model.unpack'>> =>
    unpackModelFile(args.input, args.output, { replace: args.replace }, ctx),
  /** Optimizes one model into a run folder (see optimizeModel). */
  optimize: (args: OptimizeRequest, ctx: EngineContext): Promise<CommandResult<'optimize.run'>> => optimizeModel(args, ctx),
  /** Measures a model on data (see evaluateModel). */
  evaluate: (args: ParsedArgs<'eval.run'>, ctx: EngineContext): Promise<CommandResult<'eval.run'>> => evaluateModel(args, ctx),
  /** Measures one benchmark configuration alone, in a child process of its own (honest peak RSS). */
  benchConfig: (args: ConfigJob, ctx: EngineContext): Promise<BenchResult> => benchConfigInChild(args, ctx),
  /** A/B comparison with interleaved runs, in a child process of its own. */
  benchCompare: (args: ParsedArgs<'bench.compare'>, ctx: EngineContext): Promise<CommandResult<'bench.compare'>> =>
    benchCompareInChild(args, ctx),
  /** Trains a model on data into a run folder (see runTraining). */
  train: (args: ParsedArgs<'train.run'> & { outDir: string }, ctx: EngineContext): Promise<CommandResult<'train.run'>> =>
    runTraining({ kind: 'train', args }, ctx),
  /** Estimated latency and fit of a model on device profiles (user profiles from `userFolder`). */
  devicesEstimate: (
    args: ParsedArgs<'devices.estimate'> & { userFolder: string },
    ctx: EngineContext,
  ): Promise<CommandResult<'devices.estimate'>> => estimateDevices(args, args.userFolder, ctx),
};

/** The type of the task table: names, argument and result types. */
export type EngineTasks = typeof tasks;
