import { describe, expect, it } from 'vitest';
import type { OptimizeReport } from '../../../src/contract/optimize';
import { duplicateNote } from '../../../src/engine/search/duplicate-note';

const report = (parts: Partial<OptimizeReport>): OptimizeReport => ({ steps: [], changed: true, ...parts }) as OptimizeReport;

describe('the note of a candidate with the same bytes as another', () => {
  it('names an undone step and why, not "changed nothing more"', () => {
    const undone = report({
      changed: false,
      steps: [
        {
          title: 'Quantize to int8 (calibrated)',
          words: 'changed: cosine 0.7851 (output "Identity_3")',
          undone: { reason: 'changed the results' },
        } as OptimizeReport['steps'][number],
      ],
    });
    expect(duplicateNote('original', undone)).toBe(
      'Same bytes as the original: Quantize to int8 (calibrated) was undone (changed: cosine 0.7851 (output "Identity_3")).',
    );
  });

  it('gives the run’s own reason when nothing could change, and the plain words otherwise', () => {
    const nothing = report({
      changed: false,
      shortfall: 'Convert to float16 changed nothing: 102 weight(s) were already stored in float16.',
    });
    expect(duplicateNote('original', nothing)).toBe(
      'Same bytes as the original: Convert to float16 changed nothing: 102 weight(s) were already stored in float16.',
    );
    expect(duplicateNote('graph', report({}))).toBe('Same bytes as the graph candidate: the recipe changed nothing more.');
  });
});
