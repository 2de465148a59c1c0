import type { SearchReport } from '../../../contract';
import { wasTimed } from './candidate-words';

/** One candidate as the chart places it: its file size and its time relative to the original's. */
export interface SpeedSizePoint {
  id: string;
  sizeBytes: number;
  /** The candidate's typical time over the original's (1 for the original itself). */
  ratio: number;
  /** On the best trade-offs: no other point is at least as small and as fast and better in one. */
  front: boolean;
}

/**
 * The timed candidates and the original as points of size and relative time, each marked when it is
 * on the Pareto front (nothing else is both no larger and no slower, and better in one of the two).
 */
export function speedSizePoints(report: Pick<SearchReport, 'candidates'>): SpeedSizePoint[] {
  const points = report.candidates.flatMap((candidate) => {
    if (candidate.status === 'baseline') return [{ id: candidate.id, sizeBytes: candidate.sizeBytes, ratio: 1 }];
    return wasTimed(candidate) ? [{ id: candidate.id, sizeBytes: candidate.sizeBytes, ratio: candidate.speed.ratio }] : [];
  });
  return points.map((point) => ({
    ...point,
    front: !points.some(
      (other) =>
        other !== point &&
        other.sizeBytes <= point.sizeBytes &&
        other.ratio <= point.ratio &&
        (other.sizeBytes < point.sizeBytes || other.ratio < point.ratio),
    ),
  }));
}
