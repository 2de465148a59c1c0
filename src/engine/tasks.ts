import type { EngineContext } from './context';
import { identifyFile, type FileFacts } from './files/identify-file';
import type { BenchCompareArgs, BenchCompareResult, BenchResult } from '../contract/bench';
import type { DeviceEstimateArgs, DeviceEstimateResult } from '../contract/devices';
import { runInChild } from './bench/run-in-child';
import type { ConfigJob } from './bench/run-config';
import { estimateDevices } from './devices/estimate';
import type { ModelSummary, OptimizeReport } from '../contract';
import { inspectModel } from './inspect';
import { optimizeModel, type OptimizeRequest } from './optimize/optimize-model';
import type { TrainArgs, TrainReport } from '../contract/train';
import { runTraining } from './train/training-run';

// Entry points that run inside job workers. Each takes plain data and an EngineContext.

/** Identifies a file by content and hashes it. */
export function identify(args: { path: string }, ctx: EngineContext): Promise<FileFacts> {
  return identifyFile(args.path, ctx);
}

/** Summarizes a model for the model page (see inspectModel). */
export async function inspect(args: { path: string }, ctx: EngineContext): Promise<ModelSummary> {
  return inspectModel(args.path, ctx);
}

/** Optimizes one model into a run folder (see optimizeModel). */
export function optimize(args: OptimizeRequest, ctx: EngineContext): Promise<OptimizeReport> {
  return optimizeModel(args, ctx);
}

/** Measures one benchmark configuration alone, in a child process of its own (honest peak RSS). */
export function benchConfig(args: ConfigJob, ctx: EngineContext): Promise<BenchResult> {
  return runInChild<BenchResult>({ type: 'config', job: args }, ctx);
}

/** A/B comparison with interleaved runs, in a child process of its own. */
export function benchCompare(args: BenchCompareArgs, ctx: EngineContext): Promise<BenchCompareResult> {
  return runInChild<BenchCompareResult>({ type: 'compare', args }, ctx);
}

/** Estimated latency and fit of a model on device profiles (user profiles from `userFolder`). */
export function devicesEstimate(args: DeviceEstimateArgs & { userFolder: string }, ctx: EngineContext): Promise<DeviceEstimateResult> {
  return estimateDevices(args, args.userFolder, ctx);
}

/** Trains a model on data into a run folder (see runTraining). */
export function train(args: TrainArgs & { outDir: string }, ctx: EngineContext): Promise<TrainReport> {
  return runTraining({ kind: 'train', args }, ctx);
}
