import type { Node } from '../../ir/node';

/** Activations a TFLite operator can apply to its own result (`fused_activation_function`). */
export type FusedActivation = 'RELU' | 'RELU6' | 'RELU_N1_TO_1' | 'TANH';

/** A recorded fusion: `activation` may be applied by the producing node instead of by `node`. */
export interface ActivationFusion {
  activation: FusedActivation;
  /** The separate activation node the fusion replaces in a format that supports it. */
  node: Node;
}

// Kept beside the IR, not in it: an in-memory note for exporters that can fuse activations.
// ONNX has no such field, so the ONNX writer never sees it and the ONNX graph keeps the node.
const fusions = new WeakMap<Node, ActivationFusion>();

/** The activation recorded as fusable into `node` (by the fuse-activation pass), if any. */
export function fusedActivationOf(node: Node): ActivationFusion | undefined {
  return fusions.get(node);
}

/** Records that `fusion.node`'s activation can be applied by `node` itself. */
export function recordFusedActivation(node: Node, fusion: ActivationFusion): void {
  fusions.set(node, fusion);
}

/** Forgets a recorded fusion (e.g. when a pass rewrites the node). */
export function clearFusedActivation(node: Node): void {
  fusions.delete(node);
}
