import type { CommandArgs, CommandName, InvokeOptions, LitheApi } from '../../../contract';

/**
 * Makes calls to the Electron preload's `window.lithe` survive contextBridge, which copies objects
 * without their prototypes: a real AbortSignal would reach the preload without `addEventListener`.
 * The stand-in is a plain object whose functions the bridge proxies back to the real signal.
 */
export function adaptPreloadApi(api: LitheApi): LitheApi {
  return {
    host: api.host,
    invoke: <C extends CommandName>(command: C, args: CommandArgs<C>, options: InvokeOptions = {}) =>
      api.invoke(command, args, options.signal ? { ...options, signal: bridgeSafeSignal(options.signal) } : options),
    ...(api.pickModelFile ? { pickModelFile: api.pickModelFile } : {}),
    ...(api.pathForFile ? { pathForFile: api.pathForFile } : {}),
  };
}

function bridgeSafeSignal(signal: AbortSignal): AbortSignal {
  const standIn = {
    aborted: signal.aborted,
    addEventListener: (type: string, listener: () => void, options?: AddEventListenerOptions) =>
      signal.addEventListener(type, listener, options),
    removeEventListener: (type: string, listener: () => void) => signal.removeEventListener(type, listener),
  };
  // Only the members the preload uses exist; the type is what LitheApi.invoke expects.
  return standIn as unknown as AbortSignal;
}
