import type { OptimizeReport } from '../../contract/optimize';

/**
 * Why a candidate came out byte for byte like another: a step undone (and why), nothing to change, or no more than the twin did.
 */
export function duplicateNote(twin: string, report: OptimizeReport): string {
  const same = `Same bytes as ${twin === 'original' ? 'the original' : `the ${twin} candidate`}`;
  const undone = report.steps.filter((step) => step.undone);
  if (undone.length)
    return `${same}: ${undone.map((step) => `${step.title} was undone (${step.words ?? step.undone?.reason})`).join('; ')}.`;
  if (!report.changed && report.shortfall) return `${same}: ${report.shortfall}`;
  return `${same}: the recipe changed nothing more.`;
}
