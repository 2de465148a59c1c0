import type { ErrorInfo, FileFacts, LitheApi, Progress } from '../../../contract';
import { cleanPath } from '../files/clean-path';
import { toErrorInfo } from '../format/error-info';
import type { RecentFiles } from './recent-files.svelte';

/** Where the "open a model" flow is. */
export type OpenState =
  | { kind: 'idle' }
  | { kind: 'working'; path: string; progress: Progress | null }
  | { kind: 'identified'; facts: FileFacts }
  | { kind: 'failed'; path: string; error: ErrorInfo };

/** Runs `file.identify` for a path, with progress and cancel, and remembers opened models. */
export class OpenModel {
  state: OpenState = $state({ kind: 'idle' });
  readonly #api: LitheApi;
  readonly #recent: RecentFiles;
  #controller: AbortController | null = null;

  readonly #onopened: (facts: FileFacts) => void;

  constructor(api: LitheApi, recent: RecentFiles, onopened: (facts: FileFacts) => void = () => {}) {
    this.#api = api;
    this.#recent = recent;
    this.#onopened = onopened;
  }

  get busy(): boolean {
    return this.state.kind === 'working';
  }

  /** Opens `path` as typed, pasted or dropped: quotes, `file://` and `~` are cleaned first (see cleanPath). */
  async open(path: string, home?: string): Promise<void> {
    const cleaned = cleanPath(path, home);
    if (!cleaned.path) return;
    this.#controller?.abort();
    if (!cleaned.ok) {
      this.#controller = null;
      this.state = { kind: 'failed', path: cleaned.path, error: { code: 'invalid-argument', message: cleaned.problem } };
      return;
    }
    const trimmed = cleaned.path;
    const controller = new AbortController();
    this.#controller = controller;
    this.state = { kind: 'working', path: trimmed, progress: null };
    try {
      const facts = await this.#api.invoke(
        'file.identify',
        { path: trimmed },
        {
          signal: controller.signal,
          onProgress: (progress) => {
            if (this.#controller === controller) this.state = { kind: 'working', path: trimmed, progress };
          },
        },
      );
      if (this.#controller !== controller) return;
      this.state = { kind: 'identified', facts };
      this.#recent.add(facts);
      this.#onopened(facts);
    } catch (error) {
      if (this.#controller !== controller) return;
      // Whatever shape the error takes on its way back, a cancel is a cancel.
      const info = controller.signal.aborted ? { code: 'cancelled', message: 'Cancelled.' } : toErrorInfo(error);
      this.state = { kind: 'failed', path: trimmed, error: info };
    } finally {
      if (this.#controller === controller) this.#controller = null;
    }
  }

  /** Stops the running identification; the page shows that it was cancelled. */
  cancel(): void {
    this.#controller?.abort();
  }
}
