import { commandSchemas, isCommandName, type CommandName } from '../contract';
import type { EngineContext } from '../engine/context';
import { LitheError, toCommandError } from '../engine/errors';
import type { EngineService } from '../engine/service';
import type { AccessPolicy } from './access-policy';
import { COMMAND_PATHS, type PathUse } from './command-access';

/**
 * The engine service as a web page may use it: before a command runs, every path in its arguments
 * must pass the access policy. Arguments that do not validate go on to the service, which answers
 * with its own message.
 */
export function guardedService(service: EngineService, policy: AccessPolicy): EngineService {
  function invoke(command: string, args: unknown, ctx?: EngineContext): Promise<unknown> {
    if (isCommandName(command)) {
      try {
        for (const use of pathsOf(command, args)) policy.check(use.path, use.kind);
      } catch (error) {
        if (!(error instanceof LitheError)) throw error;
        return Promise.reject(toCommandError(error));
      }
    }
    return service.invoke(command, args, ctx);
  }
  // The typed overload of `invoke` is the same function: it only narrows what callers pass.
  return { invoke: invoke as EngineService['invoke'], close: () => service.close() };
}

function pathsOf<C extends CommandName>(command: C, args: unknown): PathUse[] {
  const parsed = commandSchemas[command].args.safeParse(args);
  if (!parsed.success) return [];
  return COMMAND_PATHS[command](parsed.data);
}
