import { cpus } from 'node:os';
import { commands, isCommandName, type AppInfo, type CommandName } from '../../contract';
import type { EngineContext } from '../context';
import { LitheError, type ErrorInfo } from '../errors';
import { JobError, JobRunner } from '../jobs/job-runner';
import { engineTask } from '../jobs/task-ref';
import type { BenchCompareArgs, BenchRunArgs } from '../../contract/bench';
import type { DeviceEstimateArgs, DeviceSaveArgs } from '../../contract/devices';
import { benchRun } from '../bench/bench-run';
import type { ConfigJob } from '../bench/run-config';
import { listDevices } from '../devices/list-devices';
import { defaultDevicesFolder, saveUserProfile } from '../devices/user-profiles';
import { listRuntimes } from './runtimes';
import { LITHE_VERSION } from './version';
import { basename, join } from 'node:path';
import type { BatchArgs, OptimizeArgs, TrainArgs } from '../../contract';
import { runBatch } from '../batch/run-batch';
import { stemOf } from '../formats/model-io';
import { recipeCatalog } from '../recipes/catalog';
import { listRuns } from '../runs/list-runs';
import { defaultRunsFolder, newRunName } from '../runs/runs-folder';

/** The one entry point every host uses to run a contract command. */
export interface EngineService {
  /** Validates `args`, runs the command, validates the result. Rejects with a {@link CommandFailure}. */
  invoke(command: string, args: unknown, ctx?: EngineContext): Promise<unknown>;
  close(): Promise<void>;
}

/** A command that failed, with the error as the user sees it. */
export class CommandFailure extends Error {
  readonly info: ErrorInfo;
  constructor(info: ErrorInfo) {
    super(info.message);
    this.name = 'CommandFailure';
    this.info = info;
  }
}

type Handler = (args: never, ctx: EngineContext) => Promise<unknown>;

/** Creates the engine service for a host (`electron`, `web` or `cli`). */
export function createEngineService(options: {
  host: 'electron' | 'web' | 'cli';
  runner?: JobRunner;
  devicesFolder?: string;
  runsFolder?: string;
}): EngineService {
  const runner = options.runner ?? new JobRunner();
  const devicesFolder = options.devicesFolder ?? defaultDevicesFolder();
  const runsFolder = options.runsFolder ?? defaultRunsFolder();
  const handlers: { [C in CommandName]: Handler } = {
    'app.info': async (): Promise<AppInfo> => ({
      version: LITHE_VERSION,
      host: options.host,
      node: process.versions.node,
      platform: process.platform,
      arch: process.arch,
      cpus: cpus().length,
      runtimes: listRuntimes(),
    }),
    'file.identify': (args: { path: string }, ctx) => runner.run(engineTask('identify'), args, ctx),
    // Each configuration is one job (run one after the other), measured in its own process.
    'bench.run': (args: BenchRunArgs, ctx) =>
      benchRun(args, (job: ConfigJob, jobCtx) => runner.run(engineTask('benchConfig'), job, jobCtx), ctx),
    'bench.compare': (args: BenchCompareArgs, ctx) => runner.run(engineTask('benchCompare'), args, ctx),
    'devices.list': async () => listDevices(devicesFolder),
    'devices.estimate': (args: DeviceEstimateArgs, ctx) =>
      runner.run(engineTask('devicesEstimate'), { ...args, userFolder: devicesFolder }, ctx),
    'devices.save': async (args: DeviceSaveArgs) => saveUserProfile(devicesFolder, args.profile),
    'model.inspect': (args: { path: string }, ctx) => runner.run(engineTask('inspect'), args, ctx),
    'recipes.list': async () => recipeCatalog(),
    'optimize.run': (args: OptimizeArgs, ctx) => {
      const recipeName = typeof args.recipe === 'string' ? args.recipe.replace(/^.*[/\\]/, '').replace(/\.json$/i, '') : args.recipe.name;
      const outDir = args.outDir ?? join(runsFolder, newRunName(stemOf(args.model), recipeName));
      return runner.run(engineTask('optimize'), { ...args, outDir }, ctx);
    },
    'batch.run': (args: BatchArgs, ctx) =>
      runBatch({ ...args, outDir: args.outDir ?? join(runsFolder, newRunName('batch', basename(args.inputDir))) }, ctx),
    'train.run': (args: TrainArgs, ctx) =>
      runner.run(engineTask('train'), { ...args, outDir: args.outDir ?? join(runsFolder, newRunName(stemOf(args.model), 'train')) }, ctx),
    'runs.list': async () => listRuns(runsFolder),
  };

  return {
    async invoke(command, args, ctx = {}) {
      if (!isCommandName(command)) throw new CommandFailure({ code: 'invalid-argument', message: `Unknown command "${command}".` });
      const spec = commands[command];
      const parsed = spec.args.safeParse(args);
      if (!parsed.success) {
        const detail = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'args'}: ${issue.message}`).join('; ');
        throw new CommandFailure({ code: 'invalid-argument', message: `Invalid arguments for ${command}: ${detail}` });
      }
      let result: unknown;
      try {
        result = await handlers[command](parsed.data as never, ctx);
      } catch (error) {
        throw toFailure(error);
      }
      const checked = spec.result.safeParse(result);
      if (!checked.success) {
        const issue = checked.error.issues[0];
        throw new CommandFailure({
          code: 'internal',
          message: `The engine returned a malformed result for ${command} (${issue?.path.join('.')}: ${issue?.message}).`,
        });
      }
      return checked.data;
    },
    close: () => runner.close(),
  };
}

function toFailure(error: unknown): CommandFailure {
  if (error instanceof JobError) return new CommandFailure(error.info);
  if (error instanceof LitheError)
    return new CommandFailure({ code: error.code, message: error.message, ...(error.file ? { file: error.file } : {}) });
  return new CommandFailure({ code: 'internal', message: error instanceof Error ? error.message : String(error) });
}
