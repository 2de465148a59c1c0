import { describe, expect, it } from 'vitest';
import type { VerificationSummary } from '../../src/contract';
import { verdictLabel } from '../../src/renderer/lib/optimize/verdict-label';
import { verificationWords } from '../../src/renderer/lib/optimize/verification-words';

// Issue 17: every label matches its number. The word comes from the engine's verdict (identical, within
// float rounding, close, changed), never from a threshold of the UI's own, and "close" quotes its figure.
const passed = (extra: Partial<VerificationSummary>): VerificationSummary => ({ status: 'passed', samples: 3, ...extra });

describe('verdict labels', () => {
  it('say identical and within float rounding without a figure', () => {
    expect(verdictLabel({ status: 'passed', verdict: 'identical', relative: 0 })).toBe('Identical');
    expect(verdictLabel({ status: 'passed', verdict: 'within-float-rounding', cosine: 1, relative: 3e-7 })).toBe('Within float rounding');
  });

  it('quote the similarity of a close result, or its largest difference when it has none', () => {
    expect(verdictLabel({ status: 'passed', verdict: 'close', cosine: 0.99904, relative: 0.0138 })).toBe('Close (similarity 0.9990)');
    expect(verdictLabel({ status: 'passed', verdict: 'close', relative: 0.1357 })).toBe(
      'Close (largest difference 13.57 % of the output’s size)',
    );
    expect(verdictLabel({ status: 'failed', verdict: 'changed', cosine: 0.93 })).toBe('Changed (similarity 0.9300)');
  });

  it('without a verdict (an older report) say only what the status says', () => {
    expect(verdictLabel({ status: 'passed', relative: 0.1357 })).toBe('Within the recipe’s tolerance');
    expect(verdictLabel({ status: 'failed' })).toBe('Changed');
    expect(verdictLabel({ status: 'unavailable' })).toBe('Not checked');
  });
});

describe('the result page’s verdict headline', () => {
  it('calls a lossy result “close”, with its figure, even when it moved the values by little', () => {
    // int8 on near-zero outputs: a relative difference under the old 1e-4 threshold, but the engine says close.
    const words = verificationWords(passed({ verdict: 'close', relative: 5e-5, cosine: 0.99971 }));
    expect(words.headline).toBe('Answers close to the original’s (similarity 0.9997), within the recipe’s tolerance');
  });

  it('says the same answers only for identical or within float rounding, and which', () => {
    expect(verificationWords(passed({ verdict: 'identical', relative: 0 })).headline).toBe('Same answers as the original: identical');
    expect(verificationWords(passed({ verdict: 'within-float-rounding', relative: 2e-7 })).headline).toBe(
      'Same answers as the original, within float rounding',
    );
  });
});
