import type { CommandArgs, LitheApi, SearchGoal } from '../../../contract';
import { Task } from '../app/task.svelte';
import { cleanPath } from '../files/clean-path';

/** The search page's answers and its run; kept while the user visits other pages. */
export class SearchForm {
  goal: SearchGoal = $state('fastest');
  /** Empty: no target device, this computer's measurements decide. */
  deviceId = $state('');
  dataPath = $state('');
  labelsPath = $state('');
  normalize = $state('');
  budgetMinutes = $state(5);
  readonly devices: Task<'devices.list'>;
  readonly run: Task<'search.run'>;
  /** The model the last search was started on. */
  searched = $state('');

  constructor(api: LitheApi) {
    this.devices = new Task(api, 'devices.list');
    this.run = new Task(api, 'search.run');
  }

  /** Loads the device profiles once (again after a failure). */
  load(): void {
    if (this.devices.state.kind === 'idle' || this.devices.state.kind === 'failed') void this.devices.run({});
  }

  /** What stops the search from starting, in plain words; null when it can start. */
  get problem(): string | null {
    if (!Number.isFinite(this.budgetMinutes) || this.budgetMinutes <= 0) return 'The time limit must be more than 0 minutes.';
    if (this.budgetMinutes > 24 * 60) return 'The time limit can be at most a day (1440 minutes).';
    return null;
  }

  /** The arguments of `search.run` for `modelPath` with the answers so far. */
  args(modelPath: string): CommandArgs<'search.run'> {
    const data = cleanPath(this.dataPath).path;
    const labels = cleanPath(this.labelsPath).path;
    return {
      model: modelPath,
      goal: this.goal,
      budgetMinutes: this.budgetMinutes,
      ...(this.deviceId ? { deviceId: this.deviceId } : {}),
      ...(data ? { data } : {}),
      ...(data && labels ? { labels } : {}),
      ...(data && this.normalize ? { normalize: this.normalize } : {}),
    };
  }

  /** Shows the settings again when another model was opened since the last search (the result stays among the runs). */
  follow(modelPath: string | undefined): void {
    if (this.run.state.kind !== 'running' && this.run.state.kind !== 'idle' && this.searched !== modelPath) this.run.reset();
  }

  start(modelPath: string): void {
    if (this.problem) return;
    this.searched = modelPath;
    void this.run.run(this.args(modelPath));
  }
}
