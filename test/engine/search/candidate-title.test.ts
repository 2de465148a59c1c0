import { describe, expect, it } from 'vitest';
import type { OptimizeReport } from '../../../src/contract/optimize';
import { candidateTitle } from '../../../src/engine/search/candidate-title';

const step = (title: string, undone?: string) =>
  ({ title, ...(undone ? { undone: { reason: undone } } : {}) }) as OptimizeReport['steps'][number];

describe('a candidate title', () => {
  it('says which step was undone, so an undone int8 step is not sold as int8', () => {
    const report = { steps: [step('Remove no-op operations'), step('Quantize to int8 (calibrated)', 'changed the results')] };
    expect(candidateTitle('converted to ONNX, int8 static', report)).toBe(
      'converted to ONNX, int8 static — Quantize to int8 (calibrated) undone',
    );
    expect(candidateTitle('int8 static', { steps: [step('Quantize to int8 (calibrated)')] })).toBe('int8 static');
  });
});
