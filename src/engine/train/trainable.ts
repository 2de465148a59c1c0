import type { Graph } from '../ir/graph';
import { isFloatDType } from '../ir/dtype';
import type { Node } from '../ir/node';

const LAYERS = new Set(['Conv', 'ConvTranspose', 'Gemm', 'MatMul']);
const NORMS: Record<string, readonly number[]> = {
  BatchNormalization: [1, 2],
  InstanceNormalization: [1, 2],
  LayerNormalization: [1, 2],
  GroupNormalization: [1, 2],
  PRelu: [1],
};
const AFFINE = new Set(['Add', 'Sub', 'Mul']);

/**
 * The float initializers a training step changes unless told otherwise: the weights and biases of
 * convolutions and matrix products, the scales and shifts of normalizations, PReLU slopes, and
 * per-channel additions or scalings right after a layer (a bias or scale kept separately). Other
 * constants — shapes, clip bounds, preprocessing means — stay fixed.
 */
export function defaultTrainable(graph: Graph): Set<string> {
  const out = new Set<string>();
  const consider = (node: Node, index: number): void => {
    const v = node.inputs[index];
    const t = v?.initializer;
    if (!v || !t || !isFloatDType(t.dtype) || t.dtype === 'float8e8m0') return;
    if (LAYERS.has(node.opType) || NORMS[node.opType]?.includes(index)) out.add(t.name);
    else if (AFFINE.has(node.opType) && t.elementCount > 1) {
      const other = node.inputs[1 - index];
      const p = graph.producerOf(other);
      if (p && (LAYERS.has(p.opType) || NORMS[p.opType])) out.add(t.name);
    }
  };
  for (const node of graph.nodes) {
    if (node.domain !== '' && node.domain !== 'ai.onnx') continue;
    node.inputs.forEach((_, i) => consider(node, i));
  }
  return out;
}
