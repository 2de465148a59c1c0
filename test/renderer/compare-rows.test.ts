import { describe, expect, it } from 'vitest';
import type { OptimizeReport, RunSpeed } from '../../src/contract';
import { compareRows } from '../../src/renderer/lib/runs/compare-rows';

function report(runDir: string): OptimizeReport {
  const side = (sizeBytes: number) => ({ path: '/m.onnx', format: 'onnx' as const, sizeBytes, sha256: '', nodeCount: 4, opCounts: {} });
  return {
    schema: 'lithe.optimize/1',
    createdAt: '2026-12-02T04:00:00Z',
    runDir,
    versions: {},
    recipe: { name: 'int8-dynamic', steps: [] },
    input: side(1000),
    output: side(400),
    steps: [],
    headline: '',
    changed: true,
    verification: { status: 'passed', relative: 0 },
    durationMs: 10,
    warnings: [],
  };
}

// Only what the comparison reads of a kept speed check: the verdict, the ratio and both medians.
function speed(verdict: RunSpeed['result']['verdict'], median: number, msA: number): RunSpeed {
  const side = (p50: number) => ({ latencyMs: { p50 } });
  return {
    schema: 'lithe.speed/1',
    measuredAt: '2026-12-02T05:00:00Z',
    result: { verdict, ratio: { median, low: median - 0.05, high: median + 0.05, confidence: 0.95 }, a: side(msA), b: side(msA * median) },
  } as unknown as RunSpeed;
}

describe('runs compared side by side', () => {
  it('shows the speed kept with each run, and marks the fastest real difference', () => {
    const rows = compareRows(
      [report('/r/1'), report('/r/2'), report('/r/3')],
      [speed('slower', 1.4, 10), speed('faster', 0.7, 10), undefined],
    );
    const typical = rows.find((row) => row.label === 'Typical run on this computer');
    expect(typical?.values).toEqual(['10.0 ms → 14.0 ms', '10.0 ms → 7.0 ms', 'Not measured']);
    const change = rows.find((row) => row.label === 'Speed change');
    expect(change?.values).toEqual(['40 % more time', '30 % less time', 'Not measured (Compare speed on the run’s page)']);
    expect(change?.best).toBe(1);
  });

  it('marks no best when the only differences are within the noise', () => {
    const rows = compareRows(
      [report('/r/1'), report('/r/2')],
      [speed('no-significant-difference', 0.98, 5), speed('no-significant-difference', 1.01, 5)],
    );
    const change = rows.find((row) => row.label === 'Speed change');
    expect(change?.values).toEqual(['no clear difference', 'no clear difference']);
    expect(change?.best).toBeUndefined();
  });
});
