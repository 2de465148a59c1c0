import { z } from 'zod';
import { isTableCommand, parseTableArgs, type TableArgs, type TableParsedArgs, type TableResult, type TableSchemas } from './command-table';
import { AppInfo, FileFacts, FilePath } from './schemas';
import { BenchCompareArgs, BenchCompareResult, BenchRunArgs, BenchRunResult } from './bench';
import { DeviceEstimateArgs, DeviceEstimateResult, DeviceList, DeviceProfile, DeviceSaveArgs } from './devices';
import { EvaluateArgs, EvaluateReport } from './evaluate';
import { ConvertArgs, ConvertResult, ModelSummary } from './model';
import { OptimizeArgs, OptimizeReport } from './optimize';
import { PackArgs, PackReport, UnpackReport } from './package';
import { RecipeCatalog, RecipeChoice, RecipeChoiceArgs } from './recipes';
import { DataCheck, DataCheckArgs } from './data';
import { BatchArgs, BatchMergeArgs, BatchSummary, RunDeleteArgs, RunList, RunSpeed, RunSpeedArgs } from './runs';
import { SearchArgs, SearchReport } from './search';
import { DistillArgs, RecoverArgs, RecoverReport, TrainArgs, TrainReport } from './train';

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
  /** Measures models on this machine: every model × configuration of the sweep, one at a time; progress `detail` carries each finished configuration (a BenchOutcome). */
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
  /** Reads a model and writes it in the format the output's extension names; never over the input. */
  'model.convert': { args: ConvertArgs, result: ConvertResult },
  /** Stores a model as a `.lithe` package (weights entropy-coded, checked to decode to the identical file). */
  'model.pack': { args: PackArgs, result: PackReport },
  /** Turns a `.lithe` package back into the model file it was made from, byte for byte. */
  'model.unpack': { args: PackArgs, result: UnpackReport },
  /** Checks example data against a model before a run: samples, labels, shapes and a preview. */
  'data.check': { args: DataCheckArgs, result: DataCheck },
  /** Built-in recipes and every pass with its options schema. */
  'recipes.list': { args: z.object({}).strict(), result: RecipeCatalog },
  /** The recipe Lithe suggests for a goal (with example data or not, for a device), and why. */
  'recipes.choose': { args: RecipeChoiceArgs, result: RecipeChoice },
  /** Optimizes one model with a recipe into a new run folder; every step verified. */
  'optimize.run': { args: OptimizeArgs, result: OptimizeReport },
  /** Optimizes every model in a folder; progress `detail` carries each finished model (a BatchItem). */
  'batch.run': { args: BatchArgs, result: BatchSummary },
  /** Combines the shard summaries in a batch's output folder into one summary. */
  'batch.merge': { args: BatchMergeArgs, result: BatchSummary },
  /** Measures a model on data: accuracy with labels; fidelity and per-layer error against a reference. */
  'eval.run': { args: EvaluateArgs, result: EvaluateReport },
  /**
   * Trains (or fine-tunes) a model on data into a new run folder, with a checkpoint per epoch;
   * progress `detail` is a TrainProgressDetail (per-step loss/accuracy, per-epoch records, ETA).
   */
  'train.run': { args: TrainArgs, result: TrainReport },
  /**
   * Trains a student (a model file, or derived from the teacher keeping a fraction of every layer's
   * channels) to match the teacher on data, labelled or not; progress as for `train.run`.
   */
  'distill.run': { args: DistillArgs, result: TrainReport },
  /**
   * "Retrain to recover accuracy" for a finished optimization run: its quantization redone with
   * training, or its result fine-tuned towards the original; before/after measured on the same
   * samples. Progress as for `train.run`.
   */
  'train.recover': { args: RecoverArgs, result: RecoverReport },
  /**
   * Builds candidates from the recipes, verifies each against the original, races them A/B and
   * picks the one that serves the goal, or the original labelled "no faster candidate".
   */
  'search.run': { args: SearchArgs, result: SearchReport },
  /** Past runs (optimizations, failed ones too, and batches) in the runs folder, newest first. */
  'runs.list': { args: z.object({}).strict(), result: RunList },
  /** Deletes one run's folder from the runs folder (nothing outside it). */
  'runs.delete': { args: RunDeleteArgs, result: z.object({ deleted: z.string() }) },
  /** Keeps a speed check (A: the run's original, B: its result) with the run, so the run shows it when reopened. */
  'runs.recordSpeed': { args: RunSpeedArgs, result: RunSpeed },
} as const;

/** The name of a command. */
export type CommandName = keyof typeof commands;
/** Arguments a command takes (fields with defaults may be left out): what a caller sends. */
export type CommandArgs<C extends CommandName> = TableArgs<typeof commands, C>;
/** Arguments after validation, defaults filled in: what the engine's handler receives. */
export type ParsedArgs<C extends CommandName> = TableParsedArgs<typeof commands, C>;
/** What a command returns. */
export type CommandResult<C extends CommandName> = TableResult<typeof commands, C>;

/** Each command's schemas, typed as what they parse to (for code generic over the command name). */
export const commandSchemas: TableSchemas<typeof commands> = commands;

/** True when `name` is a command of the contract. */
export function isCommandName(name: unknown): name is CommandName {
  return isTableCommand(commands, name);
}

/** `args` checked against `command`'s schema, defaults filled in; a `CommandError` naming every bad field otherwise. */
export function parseCommandArgs<C extends CommandName>(command: C, args: unknown): ParsedArgs<C> {
  return parseTableArgs(commandSchemas, command, args);
}
