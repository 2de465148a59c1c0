import type { LitheApi } from '../../../contract';
import type { AppState } from '../app/app-state.svelte';
import { Task } from '../app/task.svelte';

/** Reads the open model's summary once (`model.inspect`) for every page that shows it. */
export class SummaryLoader {
  readonly task: Task<'model.inspect'>;
  readonly #app: AppState;
  #requested = '';

  constructor(api: LitheApi, app: AppState) {
    this.task = new Task(api, 'model.inspect');
    this.#app = app;
  }

  /** Starts reading the open model unless its summary is there or on its way. */
  ensure(): void {
    const path = this.#app.model?.path;
    if (!path || this.#app.summary?.path === path || this.#requested === path) return;
    this.#requested = path;
    void this.load(path);
  }

  /** Reads `path` again (after a failure). */
  async load(path: string): Promise<void> {
    this.#requested = path;
    const summary = await this.task.run({ path });
    if (summary && this.#app.model?.path === path) this.#app.summary = summary;
  }
}

/** The app's one summary loader. */
export function summaryLoader(app: AppState, api: LitheApi): SummaryLoader {
  return app.keep('model-summary', () => new SummaryLoader(api, app));
}
