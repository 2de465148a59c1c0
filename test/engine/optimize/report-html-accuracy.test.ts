import { describe, expect, it } from 'vitest';
import type { OptimizeReport } from '../../../src/contract';
import { renderReportHtml } from '../../../src/engine/optimize/report-html';

// Issue 17: report.html leads with the verdict and, when the run measured it, the accuracy on the user's data.
function report(extra: Partial<OptimizeReport> = {}): OptimizeReport {
  const side = (sizeBytes: number) => ({
    path: '/m.onnx',
    format: 'onnx' as const,
    sizeBytes,
    sha256: 'ab',
    nodeCount: 4,
    opCounts: { Conv: 2 },
  });
  return {
    schema: 'lithe.optimize/1',
    createdAt: '2026-12-03T17:00:00Z',
    runDir: '/runs/x',
    versions: {},
    recipe: { name: 'int8-static', steps: [] },
    input: side(1000),
    output: side(300),
    steps: [],
    headline: 'Smaller: 30.0 % of the original',
    changed: true,
    verification: { status: 'passed', verdict: 'close', words: 'close: cosine 0.9990', inputs: 'data', samples: 8 },
    durationMs: 10,
    warnings: [],
    ...extra,
  };
}

describe('report.html', () => {
  it('shows the verdict in the word the engine gave, not "unchanged"', () => {
    const html = renderReportHtml(report());
    expect(html).toContain('<b>Close</b>');
    expect(html).toContain('close: cosine 0.9990, on 8 samples of the data.');
    expect(html).not.toMatch(/unchanged/i);
  });

  it('has an accuracy card when the run measured accuracy on labelled data', () => {
    const html = renderReportHtml(
      report({
        evaluation: {
          data: { description: 'IDX images (10000)', samples: 10000, random: false, labeled: true },
          accuracyBefore: { top1: 0.899, top5: 0.99, correct: 8990, total: 10000 },
          accuracyAfter: { top1: 0.8971, top5: 0.99, correct: 8971, total: 10000 },
        },
      }),
    );
    expect(html).toContain('<b>89.90 % → 89.71 %</b>');
    expect(html).toContain('top-1, 8971 of 10000 right on IDX images (10000)');
  });

  it('has none without right answers to measure against', () => {
    expect(renderReportHtml(report())).not.toContain('Accuracy');
  });
});
