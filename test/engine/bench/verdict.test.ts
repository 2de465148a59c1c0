import { describe, expect, it } from 'vitest';
import { bootstrapMedianRatio } from '../../../src/engine/bench/bootstrap';
import { decideVerdict, slowdownCauses, verdictSummary } from '../../../src/engine/bench/verdict';
import { seededRandom } from '../../../src/engine/runtime/onnx/input-data';

function noisy(n: number, center: number, seed: number): number[] {
  const random = seededRandom(seed);
  return Array.from({ length: n }, () => center * (1 + 0.1 * (random() - 0.5)) + (random() < 0.05 ? center * 3 : 0));
}

describe('A/B verdict', () => {
  it('calls a 20 % speed-up faster, with an interval around 0.8', () => {
    const ratio = bootstrapMedianRatio(noisy(300, 10, 1), noisy(300, 8, 2));
    expect(ratio.median).toBeGreaterThan(0.75);
    expect(ratio.median).toBeLessThan(0.85);
    expect(ratio.low).toBeLessThan(ratio.median);
    expect(ratio.high).toBeGreaterThan(ratio.median);
    expect(decideVerdict(ratio, 0.05)).toBe('faster');
    expect(verdictSummary('faster', ratio, 0.05)).toMatch(/^B is \d+ % faster than A/);
  });

  it('calls a slow-down slower', () => {
    expect(decideVerdict(bootstrapMedianRatio(noisy(300, 10, 3), noisy(300, 13, 4)), 0.05)).toBe('slower');
  });

  it('says no significant difference for the same distribution', () => {
    const ratio = bootstrapMedianRatio(noisy(300, 10, 5), noisy(300, 10, 6));
    expect(decideVerdict(ratio, 0.05)).toBe('no-significant-difference');
  });

  it('does not call a clear but tiny difference', () => {
    expect(decideVerdict({ median: 1.02, low: 1.01, high: 1.03, confidence: 0.95 }, 0.05)).toBe('no-significant-difference');
    expect(decideVerdict({ median: 1.1, low: 1.04, high: 1.16, confidence: 0.95 }, 0.05)).toBe('no-significant-difference');
    expect(decideVerdict({ median: 1.1, low: 1.06, high: 1.16, confidence: 0.95 }, 0.05)).toBe('slower');
  });

  it('explains a slower optimized model', () => {
    const causes = slowdownCauses({
      sameModel: false,
      aBytes: 1000,
      bBytes: 300,
      aOpTypes: ['Conv', 'Relu'],
      bOpTypes: ['Conv', 'DequantizeLinear', 'QuantizeLinear', 'Relu'],
      sameConfig: true,
      aQuantized: false,
      bQuantized: true,
    });
    expect(causes.some((cause) => cause.includes('Quantize/Dequantize'))).toBe(true);
    expect(causes.some((cause) => cause.includes('smaller file'))).toBe(true);
    expect(causes.some((cause) => cause.includes('int8 kernels'))).toBe(true);
  });
});
