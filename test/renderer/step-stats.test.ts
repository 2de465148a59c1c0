import { describe, expect, it } from 'vitest';
import { describeStats, statPhrase } from '../../src/renderer/lib/optimize/step-stats';

describe('step statistics in words', () => {
  it('counts with singular and plural labels', () => {
    expect(statPhrase('batchNormsFolded', 1)).toBe('1 batch norm folded');
    expect(statPhrase('batchNormsFolded', 35)).toBe('35 batch norms folded');
  });

  it('says what a sparsity percentage is a percentage of', () => {
    expect(describeStats({ sparsityPercent: 5.8, prunedLayersSparsityPercent: 48.6 })).toBe(
      "5.8 % of the model's weights are zero, 48.6 % zeros in the pruned layers.",
    );
  });

  it('splits an unknown key from camelCase and leaves zero counts out', () => {
    expect(describeStats({ widgetsBent: 2, nodesRemoved: 0 })).toBe('2 widgets bent.');
  });
});
