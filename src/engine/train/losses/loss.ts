import type { Value } from '../../ir/value';

export type { LossTerm } from '../../../contract/train';

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
