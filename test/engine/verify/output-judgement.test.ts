import { describe, expect, it } from 'vitest';
import type { RunnerTensor } from '../../../src/engine/verify/model-runner';
import { diffOutput } from '../../../src/engine/verify/output-diff';
import { profileOutput, type OutputHint } from '../../../src/engine/verify/output-kind';
import { FLOAT16_TOLERANCE, FLOAT_ROUNDING, INT8_TOLERANCE, type Tolerance } from '../../../src/engine/verify/tolerance';
import { judgeAll, judgeOutput } from '../../../src/engine/verify/verdict';
import { randomFloats } from '../passes/graph-builder';

const tensor = (dims: number[], values: ArrayLike<number>): RunnerTensor => ({ dims, data: Float32Array.from(values) });

function judge(name: string, dims: number[], a: ArrayLike<number>, b: ArrayLike<number>, t: Tolerance, hint: OutputHint = {}) {
  const profile = profileOutput(name, [tensor(dims, a)], 'float32', hint);
  const diff = diffOutput(profile, [tensor(dims, a)], [tensor(dims, b)]);
  return { profile, diff, ...judgeOutput(diff, t) };
}

describe('output kinds and verdicts', () => {
  it('a one-value output is a scalar: no cosine, and a 37 % move fails the int8 tolerance', () => {
    const r = judge('Identity_1', [1, 1], [5.0], [3.15], INT8_TOLERANCE);
    expect(r.profile.kind).toBe('scalar');
    expect(r.diff.cosine).toBeUndefined();
    expect(r.verdict).toBe('changed');
    expect(r.words).toBe('changed: difference 1.85 (37.0 % of the value)');
  });

  it('a presence score from a sigmoid is a probability judged by absolute error: 0.9 → 0.567 fails int8, 0.9 → 0.88 is close', () => {
    const moved = judge('Identity_1', [1, 1], [0.9], [0.567], INT8_TOLERANCE, { producer: 'LOGISTIC' });
    expect(moved.profile.kind).toBe('probabilities');
    expect(moved.verdict).toBe('changed');
    const near = judge('Identity_1', [1, 1], [0.9], [0.88], INT8_TOLERANCE, { producer: 'LOGISTIC' });
    expect(near.words).toBe('close: largest difference 0.02 (on values from 0 to 1)');
  });

  it('near-zero outputs within the absolute floor are within float rounding, even at a large relative error', () => {
    const a = Array.from(randomFloats(64, 1), (v) => 1e-5 * (1 + v));
    const b = a.map((v, i) => v + (i % 2 ? 2e-7 : -2e-7));
    const r = judge('maps', [1, 1, 8, 8], a, b, FLOAT_ROUNDING, { producer: 'Sigmoid' });
    expect(r.profile.kind).toBe('probabilities'); // a map with no foreground: judged value by value
    expect(r.diff.relative).toBeLessThan(1e-6); // a probability's scale is 1, not its largest value
    expect(r.verdict).toBe('within-float-rounding');
    const vector = judge('features', [1, 64], a, b, FLOAT_ROUNDING);
    expect(vector.profile.kind).toBe('vector');
    expect(vector.diff.relative).toBeGreaterThan(1e-2);
    expect(vector.words).toBe('within float rounding');
  });

  it('a lossy step is never within float rounding: a near-zero score it barely moved here is close, with its figure', () => {
    // A wake-word probability near 0 on generated inputs, moved by 9e-7 by float16 weights (the floor is 1e-6).
    const exact = judge('53', [1, 1], [2e-4], [2e-4 + 9e-7], FLOAT_ROUNDING, { producer: 'Sigmoid' });
    expect(exact.words).toBe('within float rounding');
    const lossy = judge('53', [1, 1], [2e-4], [2e-4 + 9e-7], FLOAT16_TOLERANCE, { producer: 'Sigmoid' });
    expect(lossy.verdict).toBe('close');
    expect(lossy.words).toBe('close: largest difference 9.00e-7 (on values from 0 to 1)');
  });

  it('a segmentation map is compared by pixels and IoU, never by top-1 over its last axis', () => {
    const a = Array.from(randomFloats(16 * 16, 2), (v) => (v + 1) / 2);
    const b = a.map((v) => Math.min(1, v * 1.2));
    const r = judge('segment_back', [1, 16, 16, 1], a, b, FLOAT16_TOLERANCE, { producer: 'Sigmoid' });
    expect(r.profile.kind).toBe('mask');
    expect(r.diff.top1Agreement).toBeUndefined();
    expect(r.words).toMatch(/^changed: pixel agreement \d+\.\d %, IoU 0\.\d{3}$/);
  });

  it('a probability map with no foreground is judged value by value, not by an IoU of two empty masks', () => {
    // A text detector's map on generated inputs: all below 0.5; int8 moves it by up to 0.3 (cosine about 0.94).
    const a = Array.from(randomFloats(32 * 32, 4), (v) => 0.2 + 0.15 * v);
    const b = a.map((v, i) => Math.max(0, v + (i % 3 === 0 ? 0.3 : -0.05)));
    const r = judge('sigmoid_0.tmp_0', [1, 1, 32, 32], a, b, INT8_TOLERANCE, { producer: 'Sigmoid' });
    expect(r.profile.kind).toBe('probabilities');
    expect(r.profile.reason).toBe(
      'a map of values in [0, 1] from Sigmoid, 0.0 % of it above 0.5 on these inputs: too little foreground to compare as a mask',
    );
    expect(r.verdict).toBe('changed');
    expect(r.words).toBe('changed: largest difference 0.3 (on values from 0 to 1)');
    // The same values with a real foreground are a mask again.
    const lifted = judge(
      'sigmoid_0.tmp_0',
      [1, 1, 32, 32],
      a.map((v) => v + 0.3),
      b.map((v) => v + 0.3),
      INT8_TOLERANCE,
      { producer: 'Sigmoid' },
    );
    expect(lifted.profile.kind).toBe('mask');
  });

  it('class probabilities over many steps are class scores even when they form an image (a CTC recognizer)', () => {
    // [1, 40 steps, 96 characters], each row a softmax: top-1 per step, not pixels above 0.5.
    const rows = Array.from({ length: 40 }, (_, step) => {
      const row = Array.from({ length: 96 }, (_, c) => Math.exp(c === step % 96 ? 4 : 0));
      const sum = row.reduce((x, y) => x + y, 0);
      return row.map((v) => v / sum);
    }).flat();
    const r = judge('softmax_11.tmp_0', [1, 40, 96], rows, rows, INT8_TOLERANCE, { producer: 'Softmax' });
    expect(r.profile.kind).toBe('class-scores');
    expect(r.profile.rowLength).toBe(96);
  });

  it('class scores report top-1 agreement and cosine; a vector reports cosine only', () => {
    const logits = Array.from(randomFloats(10, 3));
    const r = judge(
      'logits',
      [1, 10],
      logits,
      logits.map((v, i) => v + 0.0005 * i),
      FLOAT16_TOLERANCE,
    );
    expect(r.profile.kind).toBe('class-scores');
    expect(r.words).toMatch(/^close: top-1 agreement 100\.0 %, cosine 0\.9999\d\d$/);
    const v = judge(
      'embedding',
      [1, 10],
      logits,
      logits.map((x, i) => (i === 0 ? x + 0.5 : x)),
      INT8_TOLERANCE,
    );
    expect(v.profile.kind).toBe('vector');
    expect(v.words).toMatch(/^changed: cosine 0\.\d{4}$/);
  });

  it('several outputs: the verdict is the worst one and names it', () => {
    const ok = diffOutput(
      profileOutput('a', [tensor([1, 4], [1, 2, 3, 4])], 'float32'),
      [tensor([1, 4], [1, 2, 3, 4])],
      [tensor([1, 4], [1, 2, 3, 4])],
    );
    const bad = diffOutput(profileOutput('b', [tensor([1, 1], [2])], 'float32'), [tensor([1, 1], [2])], [tensor([1, 1], [1])]);
    const all = judgeAll([ok, bad], INT8_TOLERANCE);
    expect(all.verdict).toBe('changed');
    expect(all.words).toBe('changed: difference 1 (50.0 % of the value) (output "b")');
  });
});
