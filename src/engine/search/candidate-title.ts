import type { OptimizeReport } from '../../contract/optimize';

/**
 * A candidate's title: its recipe's, and when a step of the recipe was undone (it moved the results too far),
 * which one — the model is then what the other steps made, not what the recipe's name says.
 */
export function candidateTitle(recipeTitle: string, report: Pick<OptimizeReport, 'steps'>): string {
  const undone = (report.steps ?? []).filter((step) => step.undone).map((step) => step.title);
  return undone.length ? `${recipeTitle} — ${undone.join(', ')} undone` : recipeTitle;
}
