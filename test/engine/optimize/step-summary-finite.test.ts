import { describe, expect, it } from 'vitest';
import { StepSummary as StepSummarySchema } from '../../../src/contract/optimize';
import { stepSummary } from '../../../src/engine/optimize/report-summaries';
import type { StepReport } from '../../../src/engine/passes/pipeline';

describe('a step whose outputs could not be compared', () => {
  it('is summarised without an infinite relative error, so the report still passes the contract', () => {
    const step = {
      pass: 'quantize-int8-static',
      title: 'Quantize to int8 (calibrated)',
      options: {},
      changed: true,
      iterations: 1,
      stats: {},
      notes: [],
      skipped: [],
      roundLimitReached: false,
      nodesBefore: 3,
      nodesAfter: 9,
      durationMs: 1,
      verification: {
        worst: { relative: Infinity, maxAbs: Infinity, sqnrDb: -Infinity },
        verdict: 'changed',
        words: 'changed: value 0 was NaN and became 0.1',
      },
    } as unknown as StepReport;
    const summary = stepSummary(step);
    expect(summary.relativeError).toBeUndefined();
    expect(summary.verdict).toBe('changed');
    expect(StepSummarySchema.safeParse(summary).success).toBe(true);
  });
});
