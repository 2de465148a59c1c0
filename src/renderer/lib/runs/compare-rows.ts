import type { OptimizeReport } from '../../../contract';
import { formatBytes } from '../format/bytes';
import { formatDate, formatPercent } from '../format/numbers';
import { verificationWords } from '../optimize/verification-words';
import { baseName } from './rerun';

/** One line of the side-by-side comparison: a label and each run's value. */
export interface CompareRow {
  label: string;
  values: string[];
  /** Index of the run that does best on this line (smallest file, highest accuracy), when it can be said. */
  best?: number;
}

/** The index of the largest (or smallest) of `values` that are known; undefined when fewer than two are known or all are equal. */
function bestOf(values: (number | undefined)[], smaller: boolean): number | undefined {
  const known = values.flatMap((value, index) => (value === undefined ? [] : [{ value, index }]));
  if (known.length < 2 || known.every((entry) => entry.value === known[0]?.value)) return undefined;
  known.sort((a, b) => (smaller ? a.value - b.value : b.value - a.value));
  return known[0]?.index;
}

const accuracy = (summary: { top1: number; correct: number; total: number } | undefined): string =>
  summary ? `${formatPercent(summary.top1)} (${summary.correct} of ${summary.total})` : 'Not measured (no right answers given)';

/** The lines that compare optimization runs side by side: what went in, what came out, how it was checked. */
export function compareRows(reports: readonly OptimizeReport[]): CompareRow[] {
  const change = (report: OptimizeReport): number => report.output.sizeBytes / report.input.sizeBytes - 1;
  const sizes = reports.map((report) => report.output.sizeBytes);
  const after = reports.map((report) => report.evaluation?.accuracyAfter?.top1);
  const agreement = reports.map((report) => report.evaluation?.fidelity?.top1Agreement);
  return [
    { label: 'Model', values: reports.map((report) => baseName(report.input.path)) },
    { label: 'Recipe', values: reports.map((report) => report.recipe.title ?? report.recipe.name) },
    { label: 'When', values: reports.map((report) => formatDate(report.createdAt)) },
    { label: 'Original file', values: reports.map((report) => formatBytes(report.input.sizeBytes)) },
    { label: 'Optimized file', values: sizes.map(formatBytes), best: bestOf(sizes, true) },
    {
      label: 'Size change',
      values: reports.map((report) => {
        const fraction = change(report);
        return fraction === 0 ? 'unchanged' : `${fraction < 0 ? '' : '+'}${formatPercent(fraction)}`;
      }),
    },
    { label: 'Answers', values: reports.map((report) => verificationWords(report.verification).headline) },
    { label: 'Data', values: reports.map((report) => report.evaluation?.data.description ?? 'None (generated inputs)') },
    {
      label: 'Same top answer as the original',
      values: agreement.map((value) => (value === undefined ? 'Not measured (no data)' : formatPercent(value))),
      best: bestOf(agreement, false),
    },
    { label: 'Accuracy before', values: reports.map((report) => accuracy(report.evaluation?.accuracyBefore)) },
    { label: 'Accuracy after', values: reports.map((report) => accuracy(report.evaluation?.accuracyAfter)), best: bestOf(after, false) },
    {
      label: 'Steps that changed the model',
      values: reports.map((report) => {
        const changed = report.steps.filter((step) => step.changed).length;
        return `${changed} of ${report.steps.length}`;
      }),
    },
    { label: 'Layers (operations)', values: reports.map((report) => `${report.input.nodeCount} → ${report.output.nodeCount}`) },
  ];
}
