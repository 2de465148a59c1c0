import type { CommandArgs, CommandName, CommandResult } from './commands';
import type { ErrorInfo } from './errors';
import type { Progress } from './schemas';

/** Options for one call: progress callback and cancellation. */
export interface InvokeOptions {
  onProgress?: (progress: Progress) => void;
  signal?: AbortSignal;
}

/**
 * What the renderer sees as `window.lithe`, whichever host it runs in.
 * A failed command rejects with a `CommandError`.
 */
export interface LitheApi {
  /** Which host carries the calls. */
  readonly host: 'electron' | 'web';
  invoke<C extends CommandName>(command: C, args: CommandArgs<C>, options?: InvokeOptions): Promise<CommandResult<C>>;
  /** Native file picker (Electron only); resolves to null when the user cancels. */
  pickModelFile?: () => Promise<string | null>;
  /** Path of a dropped file (Electron only). */
  pathForFile?: (file: File) => string;
}

/** The reply to one bridged call: a result, or the error as the engine described it. */
export type BridgeReply = { ok: true; result: unknown } | { ok: false; error: ErrorInfo };

/**
 * What the Electron preload exposes as `window.litheBridge`: only plain functions and plain data,
 * which survive contextBridge intact (class instances, AbortSignals and error fields do not). The
 * renderer builds its {@link LitheApi} on top of it.
 */
export interface LitheBridge {
  readonly host: 'electron';
  /** Starts command `command`; `id` names the call for progress and cancellation. */
  invoke(id: string, command: string, args: unknown, onProgress: (progress: Progress) => void): Promise<BridgeReply>;
  cancel(id: string): void;
  pickModelFile(): Promise<string | null>;
  /** Native folder picker (batch input, data folders); null when the user cancels. */
  pickFolder(title: string): Promise<string | null>;
  pathForFile(file: File): string;
}
