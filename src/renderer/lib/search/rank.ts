import type { SearchCandidate, SearchReport } from '../../../contract';

/** A row of the ranked table: the candidate and its place (absent for candidates not timed). */
export interface RankedCandidate {
  candidate: SearchCandidate;
  rank?: number;
}

/** The original model's file size in a search (0 when the report lacks the original). */
export function originalSize(report: Pick<SearchReport, 'candidates'>): number {
  return report.candidates.find((candidate) => candidate.status === 'baseline')?.sizeBytes ?? 0;
}

const LATER: readonly SearchCandidate['status'][] = ['duplicate', 'rejected', 'failed', 'skipped'];

/**
 * The candidates in the order the table shows them: the chosen one first, then every timed one (the
 * original among them at its own time) by the goal's measure — time for fastest and accurate, file
 * size for smallest, time × √size for balanced — then those not timed, by how far they got.
 */
export function rankCandidates(report: Pick<SearchReport, 'candidates' | 'chosen' | 'goal'>): RankedCandidate[] {
  const originalBytes = originalSize(report) || 1;
  const ratio = (candidate: SearchCandidate): number => (candidate.status === 'baseline' ? 1 : (candidate.speed?.ratio ?? Infinity));
  const key = (candidate: SearchCandidate): number => {
    if (report.goal === 'smallest') return candidate.sizeBytes;
    if (report.goal === 'balanced') return ratio(candidate) * Math.sqrt(candidate.sizeBytes / originalBytes);
    return ratio(candidate);
  };
  const timed = report.candidates.filter(
    (candidate) => candidate.status === 'baseline' || (!LATER.includes(candidate.status) && candidate.speed),
  );
  const rest = report.candidates.filter((candidate) => !timed.includes(candidate));
  timed.sort((a, b) => Number(b.id === report.chosen.id) - Number(a.id === report.chosen.id) || key(a) - key(b));
  rest.sort((a, b) => LATER.indexOf(a.status) - LATER.indexOf(b.status));
  return [...timed.map((candidate, index) => ({ candidate, rank: index + 1 })), ...rest.map((candidate) => ({ candidate }))];
}
