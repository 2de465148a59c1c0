import type { BenchCompareResult } from '../../../contract';
import { formatMs } from '../format/numbers';

/** What {@link compareSentence} reads of a comparison. */
export type ComparedSpeeds = Pick<BenchCompareResult, 'verdict' | 'ratio'> & {
  a: { latencyMs: { p50: number } };
  b: { latencyMs: { p50: number } };
};

/**
 * The A/B verdict in one plain sentence, with units and without statistics words: "Optimized takes 23 %
 * less time than Original: 4.1 ms instead of 5.3 ms for a typical run on this computer." When the
 * difference is within the noise it says so, with the range the difference likely lies in.
 */
export function compareSentence(result: ComparedSpeeds, nameA: string, nameB: string): string {
  const a = formatMs(result.a.latencyMs.p50);
  const b = formatMs(result.b.latencyMs.p50);
  const ratio = result.ratio.median;
  const typical = `${b} instead of ${a} for a typical run on this computer`;
  if (result.verdict === 'faster') {
    const times = 1 / ratio >= 1.5 ? ` (${(1 / ratio).toFixed(1)}× as fast)` : '';
    return `${nameB} takes ${percent(1 - ratio)} less time than ${nameA}${times}: ${typical}.`;
  }
  if (result.verdict === 'slower') {
    const times = ratio >= 1.5 ? ` (${ratio.toFixed(1)}× as slow)` : '';
    return `${nameB} takes ${percent(ratio - 1)} more time than ${nameA}${times}: ${typical}.`;
  }
  return (
    `No clear difference in speed on this computer: a typical run takes ${a} (${nameA}) and ${b} (${nameB}), ` +
    `but runs vary more than that. ${nameB} is likely somewhere between ${against(result.ratio.low)} and ${against(result.ratio.high)}.`
  );
}

/** B against A for a ratio of B's time to A's: "4.4 % faster", "3.2 % slower", "as fast". */
function against(ratio: number): string {
  if (Math.abs(ratio - 1) < 0.0005) return 'as fast';
  return ratio < 1 ? `${percent(1 - ratio)} faster` : `${percent(ratio - 1)} slower`;
}

function percent(fraction: number): string {
  const value = fraction * 100;
  return `${value < 10 ? value.toFixed(1) : value.toFixed(0)} %`;
}

/** The warning for an optimized model that came out slower, in the same words as {@link compareSentence}. */
export function slowerWarning(result: ComparedSpeeds, nameA: string, nameB: string): string {
  return `${nameB} takes ${percent(result.ratio.median - 1)} more time than ${nameA} on this computer: don’t ship it for speed. Likely reasons:`;
}

/** An engine's likely cause with its command lines replaced by where the app shows the same. */
export function plainCause(cause: string): string {
  return cause
    .replace(/\s*\(`lithe bench --profile`\)/g, ' (the Benchmark page shows the time each operator takes)')
    .replace(/\s*\(?`lithe [^`]*`\)?/g, '');
}
