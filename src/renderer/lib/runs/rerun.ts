import type { OptimizeArgs, RunEntry } from '../../../contract';

/** How to run a past optimization again, or why it cannot be (the data it used was not recorded). */
export type Rerun = { ok: true; args: OptimizeArgs } | { ok: false; why: string };

/**
 * The request that runs `run` again with the same model, recipe and data: the recorded request, or
 * for older runs the model and recipe from the report when the run used no data.
 */
export function rerunOf(run: RunEntry): Rerun {
  if (run.kind === 'batch') return { ok: false, why: 'Run a batch again from the Batch page.' };
  if (run.kind === 'search') return { ok: false, why: 'Run a search again from the Find the best page.' };
  if (run.kind === 'failed') return { ok: true, args: run.failure.request };
  if (run.request) return { ok: true, args: run.request };
  if (run.report.evaluation)
    return { ok: false, why: 'This run is older than Lithe’s record of the data it used: run it again from the Optimize page.' };
  const { name, title, description, steps } = run.report.recipe;
  return {
    ok: true,
    args: {
      model: run.report.input.path,
      recipe: { name, steps, ...(title ? { title } : {}), ...(description ? { description } : {}) },
      format: run.report.output.format,
    },
  };
}

/** The last part of a path: the file or folder name. */
export function baseName(path: string): string {
  return path.split(/[/\\]/).filter(Boolean).pop() ?? path;
}

/** The recipe of a request in words: its name. */
export function recipeName(recipe: OptimizeArgs['recipe']): string {
  return typeof recipe === 'string' ? baseName(recipe).replace(/\.json$/i, '') : recipe.name;
}
