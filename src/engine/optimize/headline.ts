import type { OptimizeReport } from '../../contract';

/**
 * The one line a person reads first: what the run achieved — or that it changed nothing, did less than the recipe
 * promises, undid steps or kept steps beyond their tolerance — with the size change and the verdict in words.
 */
export function headline(report: Omit<OptimizeReport, 'headline'>): string {
  const ratio = report.output.sizeBytes / report.input.sizeBytes;
  const size =
    ratio < 0.995
      ? `${(1 / ratio).toFixed(ratio < 0.5 ? 1 : 2)}× smaller`
      : ratio > 1.005
        ? `${((ratio - 1) * 100).toFixed(1)} % larger`
        : 'same size';
  const results = report.verification.words ?? (report.verification.status === 'unavailable' ? 'not compared' : report.verification.status);
  const undone = report.steps.filter((step) => step.undone);
  const undoneWords = undone.length
    ? `; ${undone.length === 1 ? 'a step was' : `${undone.length} steps were`} undone (${undone.map((step) => step.pass).join(', ')})`
    : '';
  const kept = report.steps.filter((step) => step.beyondTolerance).map((step) => step.pass);
  if (!report.changed) return `Nothing changed: ${report.shortfall ?? 'no step found anything to change'}${undoneWords}.`;
  if (kept.length) return `Kept beyond tolerance, as asked (${kept.join(', ')})${undoneWords}: ${size}, results ${results}.`;
  if (report.shortfall) return `Less than promised: ${report.shortfall}${undoneWords}; ${size}, results ${results}.`;
  if (undone.length) return `Partly done${undoneWords}: ${size}, results ${results}.`;
  return `Done: ${size}, results ${results}.`;
}
