import type { OptimizeReport, RunSpeed } from '../../../contract';
import { formatBytes } from '../format/bytes';
import { formatDate, formatMs, formatPercent } from '../format/numbers';
import { runStatus, undoneSteps } from '../optimize/run-status';
import { verificationWords } from '../optimize/verification-words';
import { bestOf, type SideBySideRow } from '../format/side-by-side';
import { baseName } from './rerun';

const accuracy = (summary: { top1: number; correct: number; total: number } | undefined): string =>
  summary ? `${formatPercent(summary.top1)} (${summary.correct} of ${summary.total})` : 'Not measured (no right answers given)';

/** A kept speed check's change in words: "23 % less time", "40 % more time", "no clear difference". */
function speedChange(speed: RunSpeed | undefined): string {
  if (!speed) return 'Not measured (Compare speed on the run’s page)';
  const ratio = speed.result.ratio.median;
  if (speed.result.verdict === 'faster') return `${formatPercent(1 - ratio, 0)} less time`;
  if (speed.result.verdict === 'slower') return `${formatPercent(ratio - 1, 0)} more time`;
  return 'no clear difference';
}

/**
 * The lines that compare optimization runs side by side: what went in, what came out, how it was checked,
 * and how fast it ran where a speed check was kept with the run (`speeds`, in the order of `reports`).
 */
export function compareRows(reports: readonly OptimizeReport[], speeds: readonly (RunSpeed | undefined)[] = []): SideBySideRow[] {
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
    {
      label: 'Typical run on this computer',
      values: reports.map((_report, index) => {
        const speed = speeds[index];
        return speed ? `${formatMs(speed.result.a.latencyMs.p50)} → ${formatMs(speed.result.b.latencyMs.p50)}` : 'Not measured';
      }),
    },
    {
      label: 'Speed change',
      values: reports.map((_report, index) => speedChange(speeds[index])),
      // Only a difference bigger than the noise can be the best.
      best: bestOf(
        reports.map((_report, index) => {
          const speed = speeds[index];
          return speed && speed.result.verdict !== 'no-significant-difference' ? speed.result.ratio.median : undefined;
        }),
        true,
      ),
    },
    { label: 'Result', values: reports.map((report) => runStatus(report).words) },
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
        const undone = undoneSteps(report).length;
        return `${changed} of ${report.steps.length}${undone > 0 ? ` (${undone} undone)` : ''}`;
      }),
    },
    { label: 'Layers (operations)', values: reports.map((report) => `${report.input.nodeCount} → ${report.output.nodeCount}`) },
  ];
}
