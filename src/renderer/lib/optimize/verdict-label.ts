import type { FidelityVerdict, VerificationSummary } from '../../../contract';
import { formatRelative, formatSimilarity } from '../format/numbers';

/** What a verdict label is made from: the engine's verdict (absent in older reports) and its figures. */
export interface VerdictFigures {
  status: VerificationSummary['status'];
  verdict?: FidelityVerdict | undefined;
  cosine?: number | undefined;
  relative?: number | undefined;
}

/** The figure a "close" or "changed" label quotes: the similarity where there is one, else the largest difference. */
export function verdictFigure(figures: Pick<VerdictFigures, 'cosine' | 'relative'>): string {
  if (figures.cosine !== undefined) return `similarity ${formatSimilarity(figures.cosine)}`;
  return figures.relative === undefined ? '' : `largest difference ${formatRelative(figures.relative)} of the output’s size`;
}

/**
 * A short label whose word matches its number, from the engine's verdict: "Identical", "Within float
 * rounding", "Close (similarity 0.9990)", "Changed (similarity 0.9312)". Without a verdict (a report
 * from before verdicts) it says only what the status says.
 */
export function verdictLabel(figures: VerdictFigures): string {
  const figure = verdictFigure(figures);
  const withFigure = (word: string): string => (figure ? `${word} (${figure})` : word);
  switch (figures.verdict) {
    case 'identical':
      return 'Identical';
    case 'within-float-rounding':
      return 'Within float rounding';
    case 'close':
      return withFigure('Close');
    case 'changed':
      return withFigure('Changed');
    case undefined:
      if (figures.status === 'failed') return withFigure('Changed');
      return figures.status === 'passed' ? 'Within the recipe’s tolerance' : 'Not checked';
  }
}

/** Whether the verdict says the answers are the same (identical or within float rounding), not merely close. */
export function sameAnswers(figures: Pick<VerdictFigures, 'verdict' | 'relative'>): boolean {
  if (figures.verdict !== undefined) return figures.verdict === 'identical' || figures.verdict === 'within-float-rounding';
  return (figures.relative ?? 0) <= 1e-4; // a report from before verdicts: the bound of an exact rewrite
}
