import type { ErrorInfo, OptimizeReport } from '../../../contract';
import type { AppState } from '../app/app-state.svelte';
import { Task } from '../app/task.svelte';
import type { RendererApi } from '../bridge/renderer-api';
import { toErrorInfo } from '../format/error-info';

/**
 * The A/B speed check of one run's result against its original, shared by every view of the result (kept
 * across pages): both models 100 times each, alternating, after 10 warm-up runs. A finished check is kept
 * with the run (`runs.recordSpeed`), even when the page that started it was left.
 */
export class SpeedCheck {
  readonly task: Task<'bench.compare'>;
  /** Whether the last finished check was kept with the run. */
  kept: { at: string } | { error: ErrorInfo } | null = $state(null);
  readonly #lithe: RendererApi;

  constructor(lithe: RendererApi) {
    this.#lithe = lithe;
    this.task = new Task(lithe, 'bench.compare');
  }

  async start(report: Pick<OptimizeReport, 'runDir'> & { input: { path: string }; output: { path: string } }): Promise<void> {
    this.kept = null;
    const args = { a: { model: report.input.path }, b: { model: report.output.path }, pairs: 100, warmupRuns: 10, bIsOptimized: true };
    const result = await this.task.run(args);
    if (!result) return;
    try {
      this.kept = { at: (await this.#lithe.invoke('runs.recordSpeed', { dir: report.runDir, result })).measuredAt };
    } catch (error) {
      this.kept = { error: toErrorInfo(error) };
    }
  }
}

/** The speed check of the run whose optimized model is `optimized`, one per model for the whole window. */
export function abCheck(app: AppState, lithe: RendererApi, optimized: string): SpeedCheck {
  return app.keep(`ab:${optimized}`, () => new SpeedCheck(lithe));
}
