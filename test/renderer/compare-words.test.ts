import { describe, expect, it } from 'vitest';
import { compareSentence, plainCause, slowerWarning, type ComparedSpeeds } from '../../src/renderer/lib/bench/compare-words';
import { findJargon } from '../e2e/support/vocabulary';

function compared(verdict: ComparedSpeeds['verdict'], median: number, low: number, high: number, msA: number): ComparedSpeeds {
  return {
    verdict,
    ratio: { median, low, high, confidence: 0.95 },
    a: { latencyMs: { p50: msA } },
    b: { latencyMs: { p50: msA * median } },
  };
}

describe('the speed comparison in words', () => {
  it('says how much less time, with both times and their unit', () => {
    expect(compareSentence(compared('faster', 0.77, 0.74, 0.8, 5.3), 'Original', 'Optimized')).toBe(
      'Optimized takes 23 % less time than Original: 4.1 ms instead of 5.3 ms for a typical run on this computer.',
    );
    expect(compareSentence(compared('faster', 0.4, 0.38, 0.42, 10), 'A', 'B')).toContain('(2.5× as fast)');
  });

  it('says slower as more time, and by how many times when it is a lot', () => {
    expect(compareSentence(compared('slower', 1.4, 1.3, 1.5, 153), 'Original', 'Optimized')).toBe(
      'Optimized takes 40 % more time than Original: 214 ms instead of 153 ms for a typical run on this computer.',
    );
    expect(compareSentence(compared('slower', 1.6, 1.5, 1.7, 1), 'A', 'B')).toContain('(1.6× as slow)');
  });

  it('calls a difference within the noise no clear difference, with its likely range — never “1.374× A’s”', () => {
    const words = compareSentence(compared('no-significant-difference', 0.979, 0.956, 1.032, 2), 'Original', 'Optimized');
    expect(words).toBe(
      'No clear difference in speed on this computer: a typical run takes 2.0 ms (Original) and 2.0 ms (Optimized), ' +
        'but runs vary more than that. Optimized is likely somewhere between 4.4 % faster and 3.2 % slower.',
    );
    expect(compareSentence(compared('no-significant-difference', 1.374, 0.9, 2.1, 2), 'A', 'B')).not.toMatch(/×/);
  });

  it('uses none of the words the jargon scan forbids', () => {
    for (const verdict of ['faster', 'slower', 'no-significant-difference'] as const)
      expect(findJargon(compareSentence(compared(verdict, 1.2, 0.95, 1.5, 3), 'Original', 'Optimized'))).toEqual([]);
  });

  it('warns about a slower optimized model in words, and names the Benchmark page instead of a command line', () => {
    const slower = compared('slower', 1.516, 1.25, 1.819, 29.6);
    expect(slowerWarning(slower, 'Original', 'Optimized')).toBe(
      'Optimized takes 52 % more time than Original on this computer: don’t ship it for speed. Likely reasons:',
    );
    const cause = 'Layout or shape changes can defeat fusions; compare per-operator profiles (`lithe bench --profile`).';
    expect(plainCause(cause)).toBe(
      'Layout or shape changes can defeat fusions; compare per-operator profiles (the Benchmark page shows the time each operator takes).',
    );
    expect(findJargon(plainCause('Run `lithe optimize --recipe x` again.'))).toEqual([]);
  });
});
