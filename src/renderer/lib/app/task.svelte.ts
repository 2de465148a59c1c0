import type { CommandArgs, CommandName, CommandResult, ErrorInfo, LitheApi, Progress } from '../../../contract';
import { toErrorInfo } from '../format/error-info';

/** Where one command call is. */
export type TaskState<T> =
  { kind: 'idle' } | { kind: 'running'; progress: Progress | null } | { kind: 'done'; result: T } | { kind: 'failed'; error: ErrorInfo };

/** Runs one contract command at a time with progress and cancel, as reactive state for a page. */
export class Task<C extends CommandName> {
  state: TaskState<CommandResult<C>> = $state({ kind: 'idle' });
  readonly #api: LitheApi;
  readonly #command: C;
  #controller: AbortController | null = null;

  constructor(api: LitheApi, command: C) {
    this.#api = api;
    this.#command = command;
  }

  get running(): boolean {
    return this.state.kind === 'running';
  }

  /** Starts the command (cancelling a previous call); resolves to the result, or null when it failed. */
  async run(args: CommandArgs<C>, onProgress?: (progress: Progress) => void): Promise<CommandResult<C> | null> {
    this.#controller?.abort();
    const controller = new AbortController();
    this.#controller = controller;
    this.state = { kind: 'running', progress: null };
    try {
      const result = await this.#api.invoke(this.#command, args, {
        signal: controller.signal,
        onProgress: (progress) => {
          if (this.#controller !== controller) return;
          this.state = { kind: 'running', progress };
          onProgress?.(progress);
        },
      });
      if (this.#controller !== controller) return null;
      this.state = { kind: 'done', result };
      return result;
    } catch (error) {
      if (this.#controller !== controller) return null;
      this.state = { kind: 'failed', error: controller.signal.aborted ? { code: 'cancelled', message: 'Cancelled.' } : toErrorInfo(error) };
      return null;
    } finally {
      if (this.#controller === controller) this.#controller = null;
    }
  }

  cancel(): void {
    this.#controller?.abort();
  }

  reset(): void {
    this.#controller?.abort();
    this.#controller = null;
    this.state = { kind: 'idle' };
  }
}
