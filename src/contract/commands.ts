import { z } from 'zod';
import { AppInfo, FileFacts, FilePath } from './schemas';
import { BenchCompareArgs, BenchCompareResult, BenchRunArgs, BenchRunResult } from './bench';
import { DeviceEstimateArgs, DeviceEstimateResult, DeviceList, DeviceProfile, DeviceSaveArgs } from './devices';
import { ModelSummary } from './model';
import { OptimizeArgs, OptimizeReport } from './optimize';
import { RecipeCatalog } from './recipes';
import { BatchArgs, BatchSummary, RunList } from './runs';
import { TrainArgs, TrainReport } from './train';

/**
 * Every command the UI can send: its arguments and its result, as schemas.
 * Hosts validate arguments on the way in and results on the way out against these.
 */
export const commands = {
  /** Versions, host kind and available runtimes. */
  'app.info': {
    args: z.object({}).strict(),
    result: AppInfo,
  },
  /** Identifies a file by content: ONNX, TFLite or not a model; with size and sha256. */
  'file.identify': {
    args: z.object({ path: FilePath }).strict(),
    result: FileFacts,
  },
  /** Measures models on this machine: every model × configuration of the sweep, one at a time. */
  'bench.run': { args: BenchRunArgs, result: BenchRunResult },
  /** A/B comparison with interleaved runs and a verdict on B against A. */
  'bench.compare': { args: BenchCompareArgs, result: BenchCompareResult },
  /** Device profiles: this machine, built-in targets and the user's own. */
  'devices.list': { args: z.object({}).strict(), result: DeviceList },
  /** Estimated latency and fit of a model on device profiles, calibrated on this machine. */
  'devices.estimate': { args: DeviceEstimateArgs, result: DeviceEstimateResult },
  /** Saves a user device profile. */
  'devices.save': { args: DeviceSaveArgs, result: DeviceProfile },
  /** Everything about a model: inputs/outputs, operators, parameters, MACs, largest tensors, nodes. */
  'model.inspect': { args: z.object({ path: FilePath }).strict(), result: ModelSummary },
  /** Built-in recipes and every pass with its options schema. */
  'recipes.list': { args: z.object({}).strict(), result: RecipeCatalog },
  /** Optimizes one model with a recipe into a new run folder; every step verified. */
  'optimize.run': { args: OptimizeArgs, result: OptimizeReport },
  /** Optimizes every model in a folder; progress `detail` carries each finished model (a BatchItem). */
  'batch.run': { args: BatchArgs, result: BatchSummary },
  /**
   * Trains (or fine-tunes) a model on data into a new run folder, with a checkpoint per epoch;
   * progress `detail` is a TrainProgressDetail (per-step loss/accuracy, per-epoch records, ETA).
   */
  'train.run': { args: TrainArgs, result: TrainReport },
  /** Past runs (optimizations and batches) in the runs folder, newest first. */
  'runs.list': { args: z.object({}).strict(), result: RunList },
} as const;

/** The name of a command. */
export type CommandName = keyof typeof commands;
/** Arguments a command takes (fields with defaults may be left out). */
export type CommandArgs<C extends CommandName> = z.input<(typeof commands)[C]['args']>;
/** What a command returns. */
export type CommandResult<C extends CommandName> = z.infer<(typeof commands)[C]['result']>;

/** True when `name` is a command of the contract. */
export function isCommandName(name: unknown): name is CommandName {
  return typeof name === 'string' && Object.hasOwn(commands, name);
}
