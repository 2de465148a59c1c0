import { commandSchemas, isCommandName, type CommandName } from '../contract';
import type { EngineContext } from '../engine/context';
import { LitheError, toCommandError } from '../engine/errors';
import type { EngineService } from '../engine/service';
import type { AccessPolicy } from './access-policy';
import { COMMAND_PATHS, INDIRECT_PATHS } from './command-access';

/**
 * The engine service as a web page may use it: before a command runs, every path in its arguments
 * must pass the access policy. Arguments that do not validate go on to the service, which answers
 * with its own message.
 */
export function guardedService(service: EngineService, policy: AccessPolicy): EngineService {
  async function invoke(command: string, args: unknown, ctx?: EngineContext): Promise<unknown> {
    if (isCommandName(command)) {
      try {
        await checkPaths(command, args, policy);
      } catch (error) {
        if (!(error instanceof LitheError)) throw error;
        throw toCommandError(error);
      }
    }
    return service.invoke(command, args, ctx);
  }
  // The typed overload of `invoke` is the same function: it only narrows what callers pass.
  return { invoke: invoke as EngineService['invoke'], close: () => service.close() };
}

// The paths the arguments name, then those named by files they name (only once those files passed).
async function checkPaths<C extends CommandName>(command: C, args: unknown, policy: AccessPolicy): Promise<void> {
  const parsed = commandSchemas[command].args.safeParse(args);
  if (!parsed.success) return;
  for (const use of COMMAND_PATHS[command](parsed.data)) policy.check(use.path, use.kind);
  const indirect = INDIRECT_PATHS[command];
  for (const use of indirect ? await indirect(parsed.data) : []) policy.check(use.path, use.kind);
}
