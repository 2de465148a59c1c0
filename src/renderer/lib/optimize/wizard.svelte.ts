import type { GoalId, LitheApi, OptimizeArgs, OptimizeReport, Recipe } from '../../../contract';
import { Task } from '../app/task.svelte';
import { cleanPath } from '../files/clean-path';
import { budgetProblem, searchArgs } from '../search/search-args';
import { SEARCH_GOAL, searchDevice } from './search-goal';

/** The wizard's steps, in order. */
export const WIZARD_STEPS = ['Goal', 'Device', 'Data', 'Review', 'Result'] as const;

/** How the wizard makes the new version: try every candidate and keep the best, or apply one recipe. */
export type WizardMethod = 'search' | 'recipe';

/** The time limit the wizard offers for its search, minutes. */
export const WIZARD_BUDGET_MINUTES = 5;

/** The optimize wizard's answers and its run; kept while the user visits other pages. */
export class OptimizeWizard {
  step = $state(0);
  goal: GoalId = $state('faster');
  deviceId = $state('this-machine');
  dataPath = $state('');
  labelsPath = $state('');
  normalize = $state('');
  /** A recipe the user picked instead of the suggestion; empty for the suggestion. */
  recipeOverride = $state('');
  method: WizardMethod = $state('search');
  budgetMinutes = $state(WIZARD_BUDGET_MINUTES);
  /** What the result step shows: the last search or the last recipe run; null before the first. */
  shown: WizardMethod | null = $state(null);
  readonly catalog: Task<'recipes.list'>;
  readonly devices: Task<'devices.list'>;
  /** The engine's recipe for the answers so far, and why. */
  readonly choice: Task<'recipes.choose'>;
  readonly run: Task<'optimize.run'>;
  readonly search: Task<'search.run'>;
  /** The result a "keep this layer in float" re-run started from; null for a run from the review. */
  previous: OptimizeReport | null = $state(null);
  /** The layer the running re-run keeps in float. */
  keeping = $state('');
  #runPath = '';
  #args: OptimizeArgs | null = null;

  constructor(api: LitheApi) {
    this.catalog = new Task(api, 'recipes.list');
    this.devices = new Task(api, 'devices.list');
    this.choice = new Task(api, 'recipes.choose');
    this.run = new Task(api, 'optimize.run');
    this.search = new Task(api, 'search.run');
  }

  /** Loads the recipes and device profiles once (again after a failure). */
  load(): void {
    if (this.catalog.state.kind === 'idle' || this.catalog.state.kind === 'failed') void this.catalog.run({});
    if (this.devices.state.kind === 'idle' || this.devices.state.kind === 'failed') void this.devices.run({});
  }

  /** Asks the engine which recipe serves the answers so far (the user's own pick when there is one). */
  choose(modelPath: string | undefined): void {
    const recipe = this.recipeOverride;
    void this.choice.run({
      goal: this.goal,
      hasData: this.dataPath.trim() !== '',
      deviceId: this.deviceId,
      ...(modelPath ? { model: modelPath } : {}),
      ...(recipe ? { recipe } : {}),
    });
  }

  /** Shows the review again when another model was opened since the last run (the answers are kept). */
  follow(modelPath: string | undefined): void {
    const running = this.run.state.kind === 'running' || this.search.state.kind === 'running';
    if (this.step === 4 && !running && this.#runPath !== modelPath) {
      this.run.reset();
      this.search.reset();
      this.step = 3;
    }
  }

  /** What stops the chosen method from starting, in plain words; null when it can start. */
  get problem(): string | null {
    return this.method === 'search' ? budgetProblem(this.budgetMinutes) : null;
  }

  /**
   * Searches for the best version of `modelPath` for the goal and device answered (and the data,
   * when given) within the time limit, and shows the result step.
   */
  startSearch(modelPath: string): void {
    if (budgetProblem(this.budgetMinutes)) return;
    this.#runPath = modelPath;
    this.shown = 'search';
    this.step = 4;
    void this.search.run(
      searchArgs(modelPath, {
        goal: SEARCH_GOAL[this.goal],
        deviceId: searchDevice(this.deviceId),
        dataPath: this.dataPath,
        labelsPath: this.labelsPath,
        normalize: this.normalize,
        budgetMinutes: this.budgetMinutes,
      }),
    );
  }

  /** Optimizes `modelPath` with `recipe` (and the data, when given) and shows the result step. */
  start(modelPath: string, recipe: string): void {
    this.#runPath = modelPath;
    this.shown = 'recipe';
    this.step = 4;
    const data = cleanPath(this.dataPath).path;
    const labels = cleanPath(this.labelsPath).path;
    this.previous = null;
    this.keeping = '';
    this.#args = {
      model: modelPath,
      recipe,
      ...(data ? { data } : {}),
      ...(data && labels ? { labels } : {}),
      ...(data && this.normalize ? { normalize: this.normalize } : {}),
    };
    void this.run.run(this.#args);
  }

  /**
   * Whether `report` can be run again from here with the same inputs: a run this wizard started (its
   * data is known), or one whose recipe needs no data.
   */
  canRerun(report: OptimizeReport): boolean {
    const mine = this.run.state.kind === 'done' && this.run.state.result.runDir === report.runDir;
    return mine || !report.evaluation;
  }

  /**
   * Runs the optimization that produced `report` again with the same model and data, keeping layer
   * `node` in float: the recipe as it ran, and the engine adds `node` to the layers it keeps in float.
   */
  keepInFloat(report: OptimizeReport, node: string): void {
    const args: OptimizeArgs = {
      model: report.input.path,
      recipe: report.recipe,
      keepInFloat: [node],
      ...(this.#args?.data ? { data: this.#args.data } : {}),
      ...(this.#args?.labels ? { labels: this.#args.labels } : {}),
      ...(this.#args?.normalize ? { normalize: this.#args.normalize } : {}),
    };
    this.previous = report;
    this.keeping = node;
    this.#args = args;
    this.shown = 'recipe';
    this.step = 4;
    void this.run.run(args);
  }

  /** The data (and labels, scaling) the last run used; null before the first run or for a run without data. */
  get lastData(): Pick<OptimizeArgs, 'data' | 'labels' | 'normalize'> | null {
    const args = this.#args;
    return args?.data ? { data: args.data, labels: args.labels, normalize: args.normalize } : null;
  }

  /** The recipe the last run used (a built-in name or a recipe as data); null before the first run. */
  get lastRecipe(): string | Recipe | null {
    return this.#args?.recipe ?? null;
  }

  /** Runs the last optimization again, on the same model and data, with another recipe. */
  rerun(recipe: string | Recipe): void {
    if (!this.#args) return;
    this.#args = { ...this.#args, recipe };
    this.previous = null;
    this.keeping = '';
    this.shown = 'recipe';
    this.step = 4;
    void this.run.run(this.#args);
  }

  /** Runs the last recipe again without its `pass` steps (a step that failed its check). */
  rerunWithout(recipe: Pick<Recipe, 'name' | 'title' | 'steps'>, pass: string, passTitle: string): void {
    const suffix = `-without-${pass}`;
    this.rerun({
      name: `${recipe.name.slice(0, 64 - suffix.length)}${suffix}`,
      title: `${recipe.title ?? recipe.name}, without “${passTitle}”`,
      steps: recipe.steps.filter((step) => step.pass !== pass).map((step) => ({ pass: step.pass, options: { ...step.options } })),
    });
  }

  /** Shows the result a failed or cancelled "keep in float" re-run started from. */
  backToPrevious(): void {
    if (!this.previous) return;
    const report = this.previous;
    this.run.reset();
    this.run.state = { kind: 'done', result: report };
    this.previous = null;
    this.keeping = '';
  }

  /** Starts over for another run (the answers are kept). */
  restart(): void {
    this.run.reset();
    this.search.reset();
    this.shown = null;
    this.previous = null;
    this.keeping = '';
    this.step = 0;
  }
}
