import { describe, expect, it } from 'vitest';
import { DistillArgs, TrainArgs } from '../../../src/contract/train';
import { resolvedRecipe } from '../../../src/engine/train/default-recipe';
import { learningRate } from '../../../src/engine/train/schedule';

describe('the default training recipe', () => {
  const base = { model: 'm.onnx', data: 'd' };

  it('trains from fresh weights at 3e-3, fine-tunes at 1e-3, warms up over 3 % of the steps, decays linearly to 0, smooths labels by 0.1', () => {
    const scratch = TrainArgs.parse({ ...base, init: 'random' });
    expect(scratch.schedule).toBe('linear');
    expect(scratch.labelSmoothing).toBe(0.1);
    // 60 000 samples, batch 64, 3 epochs: 938 steps per epoch, 2814 in all.
    const recipe = resolvedRecipe(scratch, 60_000, 64);
    expect(recipe).toEqual({ lr: 3e-3, warmupSteps: 84 });
    expect(resolvedRecipe(TrainArgs.parse(base), 60_000, 64).lr).toBe(1e-3);
    const at = (step: number): number => learningRate(scratch.schedule, recipe.lr, step, 2814, recipe.warmupSteps);
    expect(at(0)).toBeCloseTo(3e-3 / 84, 12);
    expect(at(83)).toBeCloseTo(3e-3, 12);
    expect(at(2813)).toBeLessThan(3e-3 / 2000);
  });

  it('keeps what the flags say: the previous recipe is --lr 0.001 --schedule constant --warmup-steps 0 --label-smoothing 0', () => {
    const old = TrainArgs.parse({ ...base, init: 'random', lr: 1e-3, schedule: 'constant', warmupSteps: 0, labelSmoothing: 0 });
    expect(old.labelSmoothing).toBe(0);
    expect(resolvedRecipe(old, 60_000, 64)).toEqual({ lr: 1e-3, warmupSteps: 0 });
  });

  it('leaves distillation’s defaults as they were: 3e-3, cosine, no warm-up, no label smoothing', () => {
    const d = DistillArgs.parse({ data: 'd', teacher: 't.onnx', width: 0.25 });
    expect([d.lr, d.schedule, d.warmupSteps, d.labelSmoothing]).toEqual([3e-3, 'cosine', 0, 0]);
  });
});
