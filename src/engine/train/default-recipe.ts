/**
 * The recipe `lithe train` fills in where its flags leave it open (the contract holds the rest: AdamW,
 * linear decay to zero, label smoothing 0.1):
 *
 *   peak learning rate: 3e-3 from fresh weights (--init random), 1e-3 when fine-tuning (keep)
 *   warm-up: the learning rate rises linearly over the first 3 % of the run's steps
 *
 * Training from scratch takes larger steps early and needs them annealed at the end; a short warm-up
 * keeps AdamW's first steps, whose second-moment estimates are still poor, from overshooting.
 */
import type { TrainArgs } from '../../contract/train';

/** Share of a run's steps spent warming the learning rate up, by default. */
export const WARMUP_SHARE = 0.03;

/** The default peak learning rate for training from fresh weights, and for fine-tuning. */
export const DEFAULT_LR = { random: 3e-3, keep: 1e-3 } as const;

/** The learning rate and warm-up steps of a run over `samples` training samples. */
export function resolvedRecipe(args: TrainArgs, samples: number, batchSize: number): { lr: number; warmupSteps: number } {
  const steps = Math.ceil(samples / batchSize) * args.epochs;
  return {
    lr: args.lr ?? DEFAULT_LR[args.init],
    warmupSteps: args.warmupSteps ?? Math.round(WARMUP_SHARE * steps),
  };
}
