import type { OptimizeReport, StepSummary } from '../../../contract';
import { sameAnswers } from './verdict-label';

/** What a finished optimization did, in a few words for lists: undone steps and "changed nothing" first. */
export interface RunStatus {
  tone: 'good' | 'warn' | 'bad' | 'unknown';
  words: string;
}

/** The steps the engine undid because they changed the answers too much (or failed); the recipe went on. */
export function undoneSteps(report: Pick<OptimizeReport, 'steps'>): StepSummary[] {
  return report.steps.filter((step) => step.undone !== undefined);
}

/** "“Quantize to int8” was undone", "2 steps were undone (“A”, “B”)". */
export function undoneWords(steps: readonly StepSummary[]): string {
  const names = steps.map((step) => `“${step.title}”`).join(', ');
  return steps.length === 1 ? `${names} was undone` : `${steps.length} steps were undone (${names})`;
}

/** The run in a few words, from the engine's structured result: answers changed, steps undone, nothing changed, or the check. */
export function runStatus(report: OptimizeReport): RunStatus {
  if (report.verification.status === 'failed') return { tone: 'bad', words: 'Answers changed' };
  const undone = undoneSteps(report);
  if (undone.length > 0)
    return {
      tone: 'warn',
      words: `Finished, ${undone.length === 1 ? 'one step' : `${undone.length} steps`} undone${report.changed ? '' : ' · changed nothing'}`,
    };
  if (!report.changed) return { tone: 'warn', words: 'Changed nothing' };
  if (report.verification.status === 'unavailable') return { tone: 'unknown', words: 'Answers not checked' };
  return { tone: 'good', words: sameAnswers(report.verification) ? 'Same answers' : 'Answers close' };
}
