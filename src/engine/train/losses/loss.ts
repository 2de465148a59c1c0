import type { Value } from '../../ir/value';

/** One term of the training loss, as data (what reports and the contract record). */
export type LossTerm =
  | {
      /** Cross-entropy of the model's class scores against integer labels (the `labels` input). */
      kind: 'cross-entropy';
      output?: string;
      weight?: number;
    }
  | {
      /** Distillation: KL divergence between temperature-softened teacher and student distributions. */
      kind: 'distill-kl';
      output?: string;
      temperature?: number;
      weight?: number;
    }
  | {
      /** Mean squared error between an output (or intermediate feature) and a target fed with the batch. */
      kind: 'mse';
      output?: string;
      weight?: number;
    }
  | {
      /** Σ output·R for a given R: the vector-Jacobian product itself (gradient checks). */
      kind: 'dot';
      output?: string;
      weight?: number;
    };

/** What a loss term adds to the training graph. */
export interface EmittedLoss {
  /** Scalar loss value. */
  loss: Value;
  /** Gradient of the loss with respect to the forward value it reads. */
  grad: Value;
  /** The forward value the gradient belongs to (may be before a final Softmax). */
  of: Value;
  /** Inputs this term feeds per batch: labels or targets. */
  inputs: { role: 'labels' | 'target'; value: Value }[];
}
