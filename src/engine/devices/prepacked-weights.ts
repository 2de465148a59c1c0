import type { TracedNode, TracedTensor } from '../bench/profile-trace';
import type { Graph } from '../ir/graph';
import type { Value } from '../ir/value';
import { elementBytes } from './op-cost';

// ONNX Runtime prepacks the constant weights of some kernels (Gemm, MatMul, …) when it loads a
// model, and its profile then leaves them out of the node's inputs: a float Gemm's 800 KB weight
// was not counted as read, while the same weight fed through a cast (in a float16 model) was, so
// the two models' calibrations disagreed. The weights are read every inference all the same; the
// costs put them back from the model itself.
//
//   traced Gemm inputs:  [x, bias]          (the weight prepacked)
//   with the graph's:    [x, weight, bias]  (the weight from its initializer's type and dims)

const sameTensor = (traced: TracedTensor, value: Value): boolean => {
  const tensor = value.initializer;
  if (!tensor) return true;
  // The profile names types its own way (`float` for float32): compare element sizes and dimensions.
  const dims = tensor.dims;
  return (
    elementBytes(traced.dtype) === elementBytes(tensor.dtype) &&
    traced.shape.length === dims.length &&
    traced.shape.every((d, i) => d === dims[i])
  );
};

/** One traced node with the weights its graph node reads and the profile omitted, in the graph's input order (unchanged when they do not line up). */
function restore(traced: TracedNode, inputs: readonly Value[]): TracedNode {
  if (traced.inputs.length >= inputs.length) return traced;
  const restored: TracedTensor[] = [];
  let next = 0;
  let added = 0;
  for (const value of inputs) {
    const seen = traced.inputs[next];
    if (seen && sameTensor(seen, value)) {
      restored.push(seen);
      next++;
    } else if (value.initializer) {
      const tensor = { dtype: value.initializer.dtype, shape: [...value.initializer.dims] };
      restored.push(tensor);
      added += tensor.shape.reduce((product, dim) => product * dim, 1) * elementBytes(tensor.dtype);
    } else return traced;
  }
  if (next !== traced.inputs.length) return traced;
  return { ...traced, inputs: restored, parameterBytes: traced.parameterBytes + added };
}

/** `nodes` (an ONNX Runtime profile of `graph`) with the prepacked weights each node reads put back among its inputs. */
export function withPrepackedWeights(graph: Graph, nodes: readonly TracedNode[]): TracedNode[] {
  const byName = new Map(graph.nodes.filter((node) => node.name).map((node) => [node.name, node]));
  return nodes.map((traced) => {
    const node = byName.get(traced.name);
    if (!node || node.opType !== traced.opType) return traced;
    return restore(
      traced,
      node.inputs.filter((value): value is Value => value !== undefined),
    );
  });
}
