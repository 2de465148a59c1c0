import type { CommandArgs, LitheApi } from '../../../contract';
import { Task } from '../app/task.svelte';
import { parseThreads } from './parse-threads';

/** The benchmark page's form and its two kinds of run; kept while the user visits other pages. */
export class BenchForm {
  mode: 'measure' | 'compare' = $state('measure');
  models: string[] = $state(['']);
  runs = $state(50);
  warmup = $state(5);
  threads = $state('1');
  profile = $state(false);
  pairs = $state(100);
  /** The path filled in from the open model (replaced when another model is opened, unless edited). */
  #autoPath = '';
  readonly measure: Task<'bench.run'>;
  readonly compare: Task<'bench.compare'>;

  constructor(api: LitheApi) {
    this.measure = new Task(api, 'bench.run');
    this.compare = new Task(api, 'bench.compare');
  }

  /** Puts the open model in the first field, unless the user typed another path there. */
  preselect(path: string | undefined): void {
    if (!path || ((this.models[0] ?? '').trim() !== '' && this.models[0] !== this.#autoPath)) return;
    this.models[0] = path;
    this.#autoPath = path;
  }

  get paths(): string[] {
    const shown = this.mode === 'compare' ? this.models.slice(0, 2) : this.models;
    return shown.map((path) => (path ?? '').trim()).filter(Boolean);
  }

  /** What stops the form from running, in plain words; null when it can run. */
  get problem(): string | null {
    if (this.mode === 'compare' && this.paths.length !== 2) return 'A comparison needs two models: A (the baseline) and B.';
    if (this.paths.length === 0) return 'Give at least one model.';
    if (!Number.isInteger(this.runs) || this.runs < 1) return 'Runs must be a whole number of at least 1.';
    if (!Number.isInteger(this.warmup) || this.warmup < 0) return 'Warm-up runs must be a whole number (0 or more).';
    if (!parseThreads(this.threads)) return 'Threads must be whole numbers separated by commas, such as 1 or 1,2.';
    if (this.mode === 'compare' && (!Number.isInteger(this.pairs) || this.pairs < 10))
      return 'A comparison needs at least 10 pairs of runs.';
    return null;
  }

  start(): void {
    const threads = parseThreads(this.threads) ?? [1];
    if (this.mode === 'compare') {
      const [a, b] = this.paths;
      if (a === undefined || b === undefined) return; // `problem` asks for both models before the form can start
      const config = { threads: threads[0] };
      const args: CommandArgs<'bench.compare'> = {
        a: { model: a, config },
        b: { model: b, config },
        pairs: this.pairs,
        warmupRuns: this.warmup,
      };
      void this.compare.run(args);
      return;
    }
    const args: CommandArgs<'bench.run'> = {
      models: this.paths,
      sweep: { threads },
      plan: { runs: this.runs, warmupRuns: this.warmup, profile: this.profile },
    };
    void this.measure.run(args);
  }

  get running(): boolean {
    return this.measure.running || this.compare.running;
  }

  cancel(): void {
    this.measure.cancel();
    this.compare.cancel();
  }
}
