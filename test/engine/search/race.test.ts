import { describe, expect, it } from 'vitest';
import type { SearchCandidate } from '../../../src/contract/search';
import { affordablePairs, firstRoundPairs, survivors } from '../../../src/engine/search/race';

function measured(id: string, ratio: number, low: number, sizeBytes = 500): SearchCandidate {
  return {
    id,
    title: id,
    model: id,
    sizeBytes,
    threads: 1,
    status: 'measured',
    note: '',
    speed: {
      ratio,
      low,
      high: ratio + 0.1,
      verdict: 'no-significant-difference',
      originalMedianMs: 1,
      candidateMedianMs: ratio,
      pairs: 40,
      round: 1,
    },
  };
}

describe('successive halving', () => {
  it('the first round is a fifth of the pairs, at least 20', () => {
    expect(firstRoundPairs(200)).toBe(40);
    expect(firstRoundPairs(50)).toBe(20);
  });

  it('shrinks the pairs to fit the budget once a run time is known, never below the floor', () => {
    expect(affordablePairs(200, 10, 60_000, 3, undefined)).toBe(200);
    // 3 measurements of 100 ms pairs (× 1.5 overhead) in 60 s: 133 pairs each.
    expect(affordablePairs(200, 10, 60_000, 3, 100)).toBe(133);
    expect(affordablePairs(200, 10, 1_000, 3, 100)).toBe(10);
    expect(affordablePairs(40, 10, 1e9, 1, 100)).toBe(40);
  });

  it('drops the clearly slower and keeps the better half for speed goals', () => {
    const pool = [measured('a', 0.7, 0.6), measured('b', 0.9, 0.8), measured('c', 1.5, 1.3), measured('d', 0.95, 0.9)];
    expect(survivors('fastest', pool, 0.05, 1000).map((c) => c.id)).toEqual(['a', 'b']);
  });

  it('keeps the better half (at least one) by size for the smallest goal (slow ones too)', () => {
    const pool = [measured('slow-small', 1.5, 1.3, 100), measured('fast-big', 0.5, 0.4, 900)];
    expect(survivors('smallest', pool, 0.05, 1000).map((c) => c.id)).toEqual(['slow-small']);
    expect(survivors('fastest', [measured('only', 1.5, 1.3)], 0.05, 1000)).toEqual([]);
    expect(survivors('fastest', [measured('only', 1.0, 0.9)], 0.05, 1000).map((c) => c.id)).toEqual(['only']);
  });
});
