import { describe, expect, it } from 'vitest';
import { LOSSY_TOLERANCE } from '../../../src/engine/compress/passes/lossy-tolerance';
import type { OutputDiff } from '../../../src/engine/verify/output-diff';
import { describeTolerance } from '../../../src/engine/passes/pipeline';
import { judgeOutput } from '../../../src/engine/verify/verdict';

const diff = (over: Partial<OutputDiff>): OutputDiff => ({
  name: 'y',
  kind: 'vector',
  kindReason: 'test',
  scale: 1,
  maxAbs: 0.8,
  relative: 0.8,
  sqnrDb: 3,
  ...over,
});

// A pruned or clustered model may move single values as far as it likes, but outputs that no longer point the
// same way, or a top answer changed on most samples, are a broken model, not a compressed one.
describe('the tolerance of pruning and clustering steps', () => {
  it('calls an output close however far single values moved, while it still points the same way', () => {
    expect(judgeOutput(diff({ maxAbs: 40, cosine: 0.95 }), LOSSY_TOLERANCE).verdict).toBe('close');
    expect(judgeOutput(diff({ kind: 'class-scores', cosine: 0.9, top1Agreement: 0.9 }), LOSSY_TOLERANCE).verdict).toBe('close');
  });

  it('calls an output that points elsewhere changed', () => {
    const judged = judgeOutput(diff({ cosine: -0.11 }), LOSSY_TOLERANCE);
    expect(judged.verdict).toBe('changed');
    expect(judged.words).toContain('cosine -0.1100');
  });

  it('calls class scores whose top answer changed on most samples changed', () => {
    expect(judgeOutput(diff({ kind: 'class-scores', cosine: 0.8, top1Agreement: 0.3 }), LOSSY_TOLERANCE).verdict).toBe('changed');
  });

  it('is described by the bounds it has, without unbounded ones', () => {
    expect(describeTolerance(LOSSY_TOLERANCE)).toBe('cosine ≥ 0.5, top-1 agreement ≥ 50 %');
  });
});
