import type { OptimizeReport } from '../../../contract';
import { formatBytes } from '../format/bytes';
import { formatPercent } from '../format/numbers';

function signedPercent(before: number, after: number): string {
  if (before === 0 || before === after) return 'unchanged';
  const percent = ((after - before) / before) * 100;
  return `${percent < 0 ? '−' : '+'}${Math.abs(percent).toFixed(1)} %`;
}

function points(before: number, after: number): string {
  const diff = (after - before) * 100;
  if (Math.abs(diff) < 0.005) return 'unchanged';
  return `${diff < 0 ? '−' : '+'}${Math.abs(diff).toFixed(2)} points`;
}

/** How a re-run compares with the result before it, as short phrases (size, accuracy, fidelity). */
export function compareRuns(previous: OptimizeReport, next: OptimizeReport): string[] {
  const parts = [
    `size ${formatBytes(previous.output.sizeBytes)} → ${formatBytes(next.output.sizeBytes)} (${signedPercent(previous.output.sizeBytes, next.output.sizeBytes)})`,
  ];
  const accBefore = previous.evaluation?.accuracyAfter;
  const accAfter = next.evaluation?.accuracyAfter;
  if (accBefore && accAfter)
    parts.push(
      `accuracy ${formatPercent(accBefore.top1, 2)} → ${formatPercent(accAfter.top1, 2)} (${points(accBefore.top1, accAfter.top1)})`,
    );
  const fidBefore = previous.evaluation?.fidelity;
  const fidAfter = next.evaluation?.fidelity;
  if (fidBefore && fidAfter) {
    parts.push(`same top answer ${formatPercent(fidBefore.top1Agreement, 1)} → ${formatPercent(fidAfter.top1Agreement, 1)}`);
    parts.push(`signal-to-noise ${fidBefore.sqnrDb.toFixed(1)} → ${fidAfter.sqnrDb.toFixed(1)} dB`);
  }
  return parts;
}
