import type { LitheApi, SearchGoal } from '../../../contract';
import { Task } from '../app/task.svelte';
import { budgetProblem, searchArgs, type SearchAnswers } from './search-args';

/** The search page's answers and its run; kept while the user visits other pages. */
export class SearchForm implements SearchAnswers {
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
    return budgetProblem(this.budgetMinutes);
  }

  /** Shows the settings again when another model was opened since the last search (the result stays among the runs). */
  follow(modelPath: string | undefined): void {
    if (this.run.state.kind !== 'running' && this.run.state.kind !== 'idle' && this.searched !== modelPath) this.run.reset();
  }

  start(modelPath: string): void {
    if (this.problem) return;
    this.searched = modelPath;
    void this.run.run(searchArgs(modelPath, this));
  }
}
