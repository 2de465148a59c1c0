import {
  CommandError,
  commandSchemas,
  isCommandName,
  parseCommandArgs,
  type AppInfo,
  type CommandArgs,
  type CommandName,
  type CommandResult,
} from '../../contract';
import type { EngineContext } from '../context';
import { defaultDevicesFolder } from '../devices/user-profiles';
import { toCommandError } from '../errors';
import { JobRunner } from '../jobs/job-runner';
import { childProcessTasks } from '../tasks';
import { defaultRunsFolder } from '../runs/runs-folder';
import { commandHandlers, type CommandHandlers } from './command-handlers';

/** The one entry point every host uses to run a contract command. */
export interface EngineService {
  /** Validates `args`, runs the command, validates the result. Rejects with a `CommandError`. */
  invoke<C extends CommandName>(command: C, args: CommandArgs<C>, ctx?: EngineContext): Promise<CommandResult<C>>;
  /** The same for a request as it came off the wire (an unknown command name is refused). */
  invoke(command: string, args: unknown, ctx?: EngineContext): Promise<unknown>;
  close(): Promise<void>;
}

/** Settings of {@link createEngineService}. */
export interface EngineServiceOptions {
  /** Which host serves the engine: the desktop app, the web host or the command line. */
  host: AppInfo['host'];
  /** The job runner every heavy command shares (default: cores − 1 jobs at once, ONNX Runtime's in child processes). */
  runner?: JobRunner;
  /** How long a cancelled job may take to stop by itself before it is stopped by force (default 2 s; not with `runner`). */
  cancelGraceMs?: number;
  devicesFolder?: string;
  runsFolder?: string;
}

/** Creates the engine service for a host. */
export function createEngineService(options: EngineServiceOptions): EngineService {
  const runner = options.runner ?? new JobRunner({ childTasks: childProcessTasks, cancelGraceMs: options.cancelGraceMs });
  const handlers = commandHandlers({
    host: options.host,
    runner,
    devicesFolder: options.devicesFolder ?? defaultDevicesFolder(),
    runsFolder: options.runsFolder ?? defaultRunsFolder(),
  });
  function invoke<C extends CommandName>(command: C, args: CommandArgs<C>, ctx?: EngineContext): Promise<CommandResult<C>>;
  function invoke(command: string, args: unknown, ctx?: EngineContext): Promise<unknown>;
  function invoke(command: string, args: unknown, ctx: EngineContext = {}): Promise<unknown> {
    if (!isCommandName(command))
      return Promise.reject(new CommandError({ code: 'invalid-argument', message: `Unknown command "${command}".` }));
    return runCommand(handlers, command, args, ctx);
  }
  return { invoke, close: () => runner.close() };
}

async function runCommand<C extends CommandName>(
  handlers: CommandHandlers,
  command: C,
  args: unknown,
  ctx: EngineContext,
): Promise<CommandResult<C>> {
  const parsed = parseCommandArgs(command, args);
  let result: CommandResult<C>;
  try {
    result = await handlers[command](parsed, ctx);
  } catch (error) {
    throw toCommandError(error);
  }
  const checked = commandSchemas[command].result.safeParse(result);
  if (!checked.success) {
    const issue = checked.error.issues[0];
    throw new CommandError({
      code: 'internal',
      message: `The engine returned a malformed result for ${command} (${issue?.path.join('.')}: ${issue?.message}).`,
    });
  }
  return checked.data;
}
