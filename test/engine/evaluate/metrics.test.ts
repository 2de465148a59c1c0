import { describe, expect, it } from 'vitest';
import { AccuracyCounter, FidelityCounter, sqnrDb } from '../../../src/engine/evaluate/metrics';

describe('evaluation metrics', () => {
  it('counts top-1 and top-5 accuracy', () => {
    const counter = new AccuracyCounter();
    // 3 rows of 6 classes; labels 0 (top-1), 5 (rank 2), 1 (rank 6).
    const scores = [9, 1, 2, 3, 4, 5, 0, 1, 2, 3, 9, 8, 5, 0, 1, 2, 3, 4];
    counter.add(scores, 6, [0, 5, 1]);
    expect(counter.result()).toEqual({ top1: 1 / 3, top5: 2 / 3, correct: 1, total: 3 });
  });

  it('measures fidelity: agreement, cosine, SQNR, max error', () => {
    const counter = new FidelityCounter();
    counter.add([1, 0, 0, 1], [1, 0, 0, 1], 2);
    counter.add([1, 2], [2, 1], 2);
    const f = counter.result()!;
    expect(f.samples).toBe(3);
    expect(f.top1Agreement).toBeCloseTo(2 / 3);
    expect(f.cosineMin).toBeCloseTo(0.8);
    expect(f.cosine).toBeCloseTo((1 + 1 + 0.8) / 3);
    expect(f.maxAbs).toBe(1);
    expect(f.sqnrDb).toBeCloseTo(10 * Math.log10(7 / 2));
    expect(sqnrDb(1, 0)).toBe(200);
  });
});
