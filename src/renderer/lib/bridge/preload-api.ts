import {
  CommandError,
  commands,
  type CommandArgs,
  type CommandName,
  type CommandResult,
  type InvokeOptions,
  type LitheBridge,
} from '../../../contract';
import { nextRequestId } from './request-ids';
import type { RendererApi } from './renderer-api';

const cancelled = (): CommandError => new CommandError({ code: 'cancelled', message: 'Cancelled.' });

/**
 * Builds the renderer's {@link RendererApi} on the Electron preload's `window.litheBridge`, which only
 * carries plain functions and data: each call gets an id, progress comes back through a callback,
 * an aborted signal cancels the call by id, and an `{ ok: false }` reply becomes a {@link CommandError}.
 */
export function createPreloadApi(bridge: LitheBridge): RendererApi {
  async function invoke<C extends CommandName>(command: C, args: CommandArgs<C>, options: InvokeOptions = {}): Promise<CommandResult<C>> {
    const { signal, onProgress } = options;
    if (signal?.aborted) throw cancelled();
    const id = nextRequestId();
    let onAbort = (): void => {};
    const aborted = new Promise<never>((_resolve, reject) => {
      onAbort = () => {
        bridge.cancel(id);
        reject(cancelled());
      };
    });
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const reply = await Promise.race([bridge.invoke(id, command, args, (progress) => onProgress?.(progress)), aborted]);
      if (!reply.ok) throw new CommandError(signal?.aborted ? { code: 'cancelled', message: 'Cancelled.' } : reply.error);
      const checked = commands[command].result.safeParse(reply.result);
      if (!checked.success)
        throw new CommandError({ code: 'internal', message: `Lithe sent an answer to ${command} that this window does not understand.` });
      return checked.data as CommandResult<C>;
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  }

  return {
    host: bridge.host,
    invoke,
    pickModelFile: () => bridge.pickModelFile(),
    pathForFile: (file) => bridge.pathForFile(file),
    ...(typeof bridge.pickFolder === 'function' ? { pickFolder: (title: string) => bridge.pickFolder(title) } : {}),
  };
}
