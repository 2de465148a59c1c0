import { LitheError } from '../errors';
import type { Node } from '../ir/node';
import type { Value } from '../ir/value';
import type { Emitter } from './emitter';

/** How the forward graph behaves while training (what `prepare` steps look at). */
export interface TrainingMode {
  /** `train`: batch statistics and running-statistics updates; `frozen`: the stored statistics. */
  batchNorm: 'train' | 'frozen';
  /** Dropout active (random masks) while training. */
  dropout: boolean;
}

/** A value the training step carries from one step to the next (e.g. running statistics). */
export interface StateUpdate {
  /** The initializer (fed as an input) holding the state. */
  state: Value;
  /** The graph output with its new value after the step. */
  next: Value;
}

/** What a rule's `prepare` step may use to change its forward node for training. */
export interface PrepareContext {
  node: Node;
  e: Emitter;
  mode: TrainingMode;
  /** Replaces the node by others computing the same outputs (the node is removed). */
  replace(nodes: Node[]): void;
  /** Records a state value the step updates. */
  addState(update: StateUpdate): void;
}

/** What a rule's `backward` receives. */
export interface BackwardContext {
  node: Node;
  e: Emitter;
  /** Gradient reaching each output (`undefined`: none does). */
  dY: readonly (Value | undefined)[];
  /** Which inputs want a gradient. */
  wants: readonly boolean[];
  /** Input `i` (throws when the node omits it). */
  input(i: number): Value;
  /** Output `i` (throws when the node omits it). */
  output(i: number): Value;
  /** Gradient of output `i`, zeros when none reaches it. */
  gradOf(i: number): Value;
  /** The error to throw when this node cannot be trained through: `throw c.refuse('why')`. */
  refuse(why: string): Error;
}

/**
 * A vector-Jacobian rule for an operator family: from the gradient of the outputs it emits the
 * gradient of the inputs with standard ONNX operators. `prepare` optionally changes the forward
 * node for training (MaxPool also returns indices, BatchNormalization uses batch statistics).
 */
export interface GradRule {
  /** Operator types (default ONNX domain) the rule covers. */
  ops: readonly string[];
  /** Inputs that never carry a gradient (shapes, indices, axes), by position. */
  constantInputs?: readonly number[];
  prepare?(c: PrepareContext): void;
  backward(c: BackwardContext): (Value | undefined)[];
}

/** Builds a rule (typing helper, like `definePass`). */
export function defineRule(rule: GradRule): GradRule {
  return rule;
}

/** The error for a node a rule cannot differentiate. */
export function cannotTrain(node: Node, why: string): LitheError {
  return new LitheError(
    'unsupported',
    `Lithe cannot train through the ${node.opType} node "${node.name || node.outputs[0]?.name}": ${why}.`,
  );
}
