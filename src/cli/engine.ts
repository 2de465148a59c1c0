import {
  commandSchemas,
  describeIssues,
  type CommandArgs,
  type CommandName,
  type CommandResult,
  type ParsedArgs,
  type Progress,
} from '../contract';
import { usageError } from './output';
import { createEngineService, type EngineService } from '../engine/service';
import { progressBar } from './progress-bar';

let service: EngineService | undefined;

/** The CLI's engine service (host `cli`), created on first use. */
function engine(): EngineService {
  service ??= createEngineService({ host: 'cli' });
  return service;
}

/** Options of {@link runCommand}. */
export interface RunOptions {
  /** Label of the progress bar on stderr (a terminal only); no bar without it. */
  bar?: string;
  /** Sees every progress event, e.g. to print a finished item while the command goes on. */
  onProgress?: (progress: Progress, bar: { clear: () => void }) => void;
}

/**
 * Runs one contract command through the engine service, with a progress bar and Ctrl-C (SIGINT) and
 * SIGTERM wired to cancellation: the job stops, by force after its grace period, and what it was
 * writing is removed before the command ends. Rejects with the service's `CommandError`.
 */
export async function runCommand<C extends CommandName>(
  command: C,
  args: CommandArgs<C>,
  options: RunOptions = {},
): Promise<CommandResult<C>> {
  const bar = options.bar ? progressBar(options.bar) : undefined;
  const controller = new AbortController();
  const onSignal = (): void => controller.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const clear = { clear: () => bar?.done() };
  try {
    return await engine().invoke(command, args, {
      signal: controller.signal,
      onProgress: (progress) => {
        options.onProgress?.(progress, clear);
        bar?.update(progress);
      },
    });
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    bar?.done();
  }
}

/** Stops the engine's workers so the process can end. */
export async function closeEngine(): Promise<void> {
  await service?.close();
  service = undefined;
}

/**
 * Arguments built from many flags, checked against the command's schema before they are sent, so
 * a bad flag value is a usage error (exit status 2) that names the field.
 */
export function checkedArgs<C extends CommandName>(command: C, args: unknown): ParsedArgs<C> {
  const parsed = commandSchemas[command].args.safeParse(args);
  if (parsed.success) return parsed.data;
  throw usageError(describeIssues(parsed.error, 'arguments'));
}
