import { BatchItem, type LitheApi } from '../../../contract';
import { Task } from '../app/task.svelte';

/** The batch page: the form, the run, and the models finished so far (from progress details). */
export class BatchState {
  inputDir = $state('');
  recipe = $state('graph');
  jobs = $state(1);
  items: BatchItem[] = $state([]);
  readonly recipes: Task<'recipes.list'>;
  readonly run: Task<'batch.run'>;

  constructor(api: LitheApi) {
    this.recipes = new Task(api, 'recipes.list');
    this.run = new Task(api, 'batch.run');
  }

  load(): void {
    if (this.recipes.state.kind === 'idle' || this.recipes.state.kind === 'failed') void this.recipes.run({});
  }

  /** What stops the batch from starting, in plain words; null when it can start. */
  get problem(): string | null {
    if (!this.inputDir.trim()) return 'Give the folder that holds the models.';
    if (!Number.isInteger(this.jobs) || this.jobs < 1 || this.jobs > 16) return 'Parallel jobs must be a whole number from 1 to 16.';
    return null;
  }

  start(): void {
    this.items = [];
    void this.run.run({ inputDir: this.inputDir.trim(), recipe: this.recipe, jobs: this.jobs }, (progress) => {
      const item = BatchItem.safeParse(progress.detail);
      if (item.success) this.items = [...this.items, item.data];
    });
  }
}
