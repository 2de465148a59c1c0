import { describe, expect, it } from 'vitest';
import type { OptimizeReport, StepSummary } from '../../../src/contract';
import { headline } from '../../../src/engine/optimize/headline';

const step = (pass: string, extra: Partial<StepSummary> = {}): StepSummary => ({
  pass,
  title: pass,
  options: {},
  changed: true,
  iterations: 1,
  stats: {},
  notes: [],
  skipped: [],
  roundLimitReached: false,
  nodesBefore: 1,
  nodesAfter: 1,
  durationMs: 1,
  ...extra,
});

// Only the fields the headline reads.
const report = (steps: StepSummary[]): Omit<OptimizeReport, 'headline'> =>
  ({
    input: { sizeBytes: 1000 },
    output: { sizeBytes: 400 },
    steps,
    changed: true,
    verification: { status: 'failed', verdict: 'changed', words: 'changed: cosine -0.1112' },
  }) as unknown as Omit<OptimizeReport, 'headline'>;

describe('headline', () => {
  it('names the steps kept beyond their tolerance, with the changed results', () => {
    const kept = { beyondTolerance: { reason: 'changed the results' } };
    expect(headline(report([step('prune-magnitude', kept), step('tflite-sparse-weights', kept)]))).toBe(
      'Kept beyond tolerance, as asked (prune-magnitude, tflite-sparse-weights): 2.5× smaller, results changed: cosine -0.1112.',
    );
  });

  it('says Done when no step was undone or kept beyond tolerance', () => {
    expect(headline(report([step('prune-magnitude')]))).toBe('Done: 2.5× smaller, results changed: cosine -0.1112.');
  });
});
