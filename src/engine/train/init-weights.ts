/**
 * Fresh weights for `--init random` (training from scratch), as common frameworks initialize:
 *
 *   weights of Conv/ConvTranspose/Gemm/MatMul: U(−b, b), b = 1/√fan_in   (fan_in = inputs per output)
 *   their biases: U(−b, b) with the layer's fan_in
 *   normalization: scale 1, shift 0, running mean 0, running variance 1
 *   anything else trained: zeros for per-channel additions, ones for per-channel scales
 */
import type { Graph } from '../ir/graph';
import type { Node } from '../ir/node';

/** Fan-in of a layer from its weight dims. */
function fanIn(node: Node, dims: readonly number[]): number {
  const product = (list: readonly number[]): number => list.reduce((a, b) => a * b, 1);
  switch (node.opType) {
    case 'Conv':
    case 'ConvTranspose':
      return (dims[1] ?? 1) * product(dims.slice(2));
    case 'Gemm':
      return node.int('transB', 0) === 1 ? (dims[1] ?? 1) : (dims[0] ?? 1);
    default:
      return dims[dims.length - 2] ?? dims[0] ?? 1;
  }
}

/** New values for the initializers named in `names`, drawn with `random` (uniform in [0, 1)). */
export function randomInitialWeights(graph: Graph, names: ReadonlySet<string>, random: () => number): Map<string, Float32Array> {
  const out = new Map<string, Float32Array>();
  const uniform = (n: number, bound: number): Float32Array => Float32Array.from({ length: n }, () => (random() * 2 - 1) * bound);
  for (const node of graph.nodes) {
    const weight = node.inputs[1]?.initializer;
    if (['Conv', 'ConvTranspose', 'Gemm', 'MatMul'].includes(node.opType) && weight) {
      const bound = 1 / Math.sqrt(Math.max(1, fanIn(node, weight.dims)));
      for (const v of node.inputs.slice(1)) {
        const t = v?.initializer;
        if (t && names.has(t.name) && !out.has(t.name)) out.set(t.name, uniform(t.elementCount, bound));
      }
    }
    if (node.opType === 'BatchNormalization' || node.opType.endsWith('Normalization')) {
      node.inputs.slice(1).forEach((v, i) => {
        const t = v?.initializer;
        if (t && !out.has(t.name) && (names.has(t.name) || node.opType === 'BatchNormalization'))
          out.set(t.name, new Float32Array(t.elementCount).fill(i === 0 || i === 3 ? 1 : 0));
      });
    }
  }
  for (const t of graph.initializers) {
    if (!names.has(t.name) || out.has(t.name)) continue;
    const consumer = graph.nodes.find((n) => n.inputs.some((v) => v?.initializer === t));
    out.set(t.name, new Float32Array(t.elementCount).fill(consumer?.opType === 'Mul' ? 1 : 0));
  }
  return out;
}
