import type { DataCheck, LitheApi } from '../../../contract';
import { Task } from '../app/task.svelte';
import { cleanPath } from '../files/clean-path';

/** What the data step asks `data.check` about. */
export interface DataChoice {
  model: string;
  data: string;
  labels: string;
  normalize: string;
}

const SETTLE_MS = 400;

/**
 * Checks the wizard's example data against the model as the user chooses it: once typing settles,
 * again whenever the data, labels, scaling or model change; a path that cannot be a path is reported
 * without asking the engine.
 */
export class DataChecker {
  readonly task: Task<'data.check'>;
  /** A problem with the typed path itself (relative, empty after cleaning). */
  pathProblem = $state('');
  #timer: ReturnType<typeof setTimeout> | undefined;
  #last = '';

  constructor(api: LitheApi) {
    this.task = new Task(api, 'data.check');
  }

  /** The check's result, when it has one for the current choice. */
  get result(): DataCheck | null {
    return this.task.state.kind === 'done' ? this.task.state.result : null;
  }

  /** Schedules a check of `choice` (nothing when it did not change). */
  update(choice: DataChoice): void {
    const key = JSON.stringify(choice);
    if (key === this.#last) return;
    this.#last = key;
    clearTimeout(this.#timer);
    this.pathProblem = '';
    const data = cleanPath(choice.data);
    if (choice.data.trim() === '') {
      this.task.reset();
      return;
    }
    if (!data.ok) {
      this.task.reset();
      this.pathProblem = data.problem;
      return;
    }
    const labels = cleanPath(choice.labels);
    this.#timer = setTimeout(() => {
      void this.task.run({
        model: choice.model,
        data: data.path,
        ...(labels.ok && labels.path ? { labels: labels.path } : {}),
        ...(choice.normalize ? { normalize: choice.normalize } : {}),
      });
    }, SETTLE_MS);
  }

  /** Stops a pending or running check. */
  stop(): void {
    clearTimeout(this.#timer);
    this.task.cancel();
  }
}
