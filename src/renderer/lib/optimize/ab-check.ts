import type { BenchCompareResult } from '../../../contract';
import type { AppState } from '../app/app-state.svelte';
import { Task } from '../app/task.svelte';
import type { RendererApi } from '../bridge/renderer-api';

/** The A/B speed check of one optimized model, shared by every view of its result (kept across pages). */
export function abCheck(app: AppState, lithe: RendererApi, optimized: string): Task<'bench.compare'> {
  return app.keep(`ab:${optimized}`, () => new Task(lithe, 'bench.compare'));
}

/**
 * Starts the A/B check: both models 100 times each, alternating, after 10 warm-up runs. When it finishes,
 * `keep` receives the result (to store it with the run), even if the page that started it was left.
 */
export async function startAbCheck(
  task: Task<'bench.compare'>,
  original: string,
  optimized: string,
  keep?: (result: BenchCompareResult) => Promise<void>,
): Promise<void> {
  const result = await task.run({ a: { model: original }, b: { model: optimized }, pairs: 100, warmupRuns: 10, bIsOptimized: true });
  if (result && keep) await keep(result);
}
