import { describe, expect, it } from 'vitest';
import { judgeConversion } from '../../../src/engine/inspect/convert-check';
import { FLOAT_ROUNDING } from '../../../src/engine/verify/tolerance';
import type { JudgedOutput, Verification } from '../../../src/engine/verify/verifier';

/** A verification of one output whose largest difference is `maxAbs` (real units). */
function verification(maxAbs: number): Verification {
  const output: JudgedOutput = {
    name: 'y',
    kind: 'vector',
    kindReason: 'test',
    scale: 1,
    maxAbs,
    relative: maxAbs,
    sqnrDb: 40,
    verdict: 'changed',
    words: 'changed',
    severity: 2,
  };
  return {
    samples: 1,
    outputs: [output],
    verdict: 'changed',
    words: 'changed',
    passed: false,
    tolerance: FLOAT_ROUNDING,
    worst: { maxAbs, relative: maxAbs, sqnrDb: 40 },
    inputs: 'random',
  };
}

describe('judging a conversion of a quantized output', () => {
  const step = 0.007654283195734024;
  it('counts one step as within one step, even through float32 dequantization', () => {
    // one step between two dequantized float32 values far from zero: a little more than `step`
    const oneStep = Math.fround(Math.fround(120 * step) - Math.fround(119 * step));
    expect(judgeConversion(verification(Math.max(oneStep, step * (1 + 2e-6))), [step]).status).toBe('matches');
  });

  it('counts two steps as a difference', () => {
    const check = judgeConversion(verification(2 * step), [step]);
    expect(check.status).toBe('differs');
    expect(check.words).toMatch(/2\.00 quantization step\(s\) apart/);
  });
});
