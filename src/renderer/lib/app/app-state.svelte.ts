import { getContext, setContext } from 'svelte';
import type { FileFacts, ModelFormat, ModelSummary } from '../../../contract';
import type { PageId } from '../nav/pages';
import { ActiveRuns } from '../runs/active-runs.svelte';

/** The model the user opened, shared by every page. */
export interface OpenedModel {
  path: string;
  name: string;
  format: ModelFormat;
  sizeBytes: number;
}

/** Which page is shown and which model is open. */
export class AppState {
  page: PageId = $state('open');
  model: OpenedModel | null = $state(null);
  /** The open model's inspection, once the model page has loaded it. */
  summary: ModelSummary | null = $state(null);
  /** The runs this window has going (see ActiveRuns.track, applied to the contract by the app shell). */
  readonly activeRuns = new ActiveRuns();

  // Not reactive on purpose: keep() runs while components set up, and reactive reads there would
  // subscribe them to every kept entry (pages watch the state inside each entry instead).
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  readonly #kept = new Map<string, unknown>();

  /** State a page keeps while the user visits other pages (a running job, a filled form). */
  keep<T>(key: string, make: () => T): T {
    if (!this.#kept.has(key)) this.#kept.set(key, make());
    return this.#kept.get(key) as T;
  }

  navigate(page: PageId): void {
    this.page = page;
    window.scrollTo({ top: 0 });
  }

  /** Makes an identified model the open one (files that are not models are ignored). */
  useModel(facts: FileFacts): void {
    if (!facts.format) return;
    if (this.model?.path !== facts.path) this.summary = null;
    this.model = { path: facts.path, name: facts.name, format: facts.format, sizeBytes: facts.sizeBytes };
  }
}

const KEY = Symbol('lithe-app');

/** Makes the app state available to every component below the caller. */
export function provideApp(app: AppState): void {
  setContext(KEY, app);
}

/** The app state, as provided by the app shell. */
export function useApp(): AppState {
  const app = getContext<AppState | undefined>(KEY);
  if (!app) throw new Error('useApp() called outside the Lithe app shell.');
  return app;
}
