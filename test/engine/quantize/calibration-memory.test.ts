import { describe, expect, it } from 'vitest';
import type { Progress } from '../../../src/engine/context';
import { calibrateRanges, type CalibrationOptions } from '../../../src/engine/quantize/calibrate';
import { syntheticData, tinyCnn } from './tiny-models';

// Calibration exposes every activation as an output. A run over many samples at once holds all of
// them (a 1280×960 detector needed gigabytes): runs are sized to a memory budget instead.
describe('calibration memory', () => {
  const { model } = tinyCnn();
  const names = model.graph.nodes.flatMap((n) => n.outputs.flatMap((v) => (v ? [v.name] : [])));
  const options = (method: CalibrationOptions['method'], runBytes?: number): CalibrationOptions => ({
    method,
    percentile: 99.9,
    samples: 40,
    ...(runBytes !== undefined ? { runBytes } : {}),
  });
  const samplesPerRun = async (method: CalibrationOptions['method'], runBytes?: number) => {
    const seen: number[] = [];
    const onProgress = (p: Progress): void => {
      if (p.stage === 'calibrate') seen.push(Number(/(\d+) samples/.exec(p.message ?? '')?.[1]));
    };
    const ranges = await calibrateRanges(model, names, syntheticData([1, 8, 8], 40), options(method, runBytes), { onProgress });
    return { ranges, runs: seen.map((done, i) => done - (seen[i - 1] ?? 0)) };
  };

  it('runs a few samples at a time when their activations pass the budget, with the same ranges', async () => {
    // One sample exposes about 650 values (2.6 KB) of activations: an 8 KB budget allows two per run.
    for (const method of ['minmax', 'percentile'] as const) {
      const small = await samplesPerRun(method, 8 * 1024);
      const large = await samplesPerRun(method);
      expect(small.runs[0]).toBe(1);
      expect(Math.max(...small.runs)).toBe(2);
      expect(small.runs.reduce((a, b) => a + b, 0)).toBe(40);
      expect(large.runs).toEqual([1, 39]);
      expect(small.ranges.size).toBeGreaterThan(3);
      expect(small.ranges).toEqual(large.ranges);
    }
  }, 60_000);
});
