import type { ParsedTrace, TracedTensor } from '../bench/profile-trace';
import type { Graph } from '../ir/graph';
import type { Value } from '../ir/value';
import { declaredTensor, deployedActivationMemory, float16WeightBytes, widenedTensors, type DeployedMemory } from './deployed-memory';

/** A graph input as it was fed: element type and dimensions. */
export interface FedTensor {
  type: string;
  dims: readonly number[];
}

/** Deployed memory of an ONNX model, as stored and with float16 widened to float32. */
export interface OnnxMemory extends DeployedMemory {
  widenedPeakActivationBytes: number;
  float16WeightBytes: number;
}

/**
 * Deployed activation memory of an ONNX model (see {@link deployedActivationMemory}), with each
 * value's shape taken from the profile ONNX Runtime wrote (node outputs by node name), the inputs
 * as fed, or else the type in the file (or inferred) with open dimensions as `dims` says (1 when
 * not given). Element types are the file's where known (the deployed form), else as run.
 */
export function onnxDeployedMemory(
  graph: Graph,
  trace: ParsedTrace,
  feeds: Readonly<Record<string, FedTensor>>,
  dims: Readonly<Record<string, number>>,
): OnnxMemory {
  const traced = new Map<Value, TracedTensor>();
  const byName = new Map(trace.nodes.filter((node) => (node.run ?? 0) === 0 && node.name).map((node) => [node.name, node]));
  for (const node of graph.nodes) {
    const seen = node.name ? byName.get(node.name) : undefined;
    if (!seen || seen.opType !== node.opType) continue;
    const outputs = node.outputs.filter((value): value is Value => value !== undefined);
    if (outputs.length !== seen.outputs.length) continue;
    outputs.forEach((value, i) => {
      const tensor = seen.outputs[i];
      if (tensor) traced.set(value, tensor);
    });
  }
  for (const [name, fed] of Object.entries(feeds)) {
    const value = graph.value(name);
    if (value) traced.set(value, { dtype: fed.type, shape: [...fed.dims] });
  }
  // The shape as run, the element type as stored: ONNX Runtime widens float16 to float on CPUs without float16 kernels.
  const shapeOf = (value: Value): TracedTensor | undefined => {
    const ran = traced.get(value);
    const file = value.type?.kind === 'tensor' ? value.type.dtype : undefined;
    return ran ? { dtype: file ?? ran.dtype, shape: ran.shape } : declaredTensor(value, dims);
  };
  return {
    ...deployedActivationMemory(graph, shapeOf),
    widenedPeakActivationBytes: deployedActivationMemory(graph, widenedTensors(shapeOf)).peakActivationBytes,
    float16WeightBytes: float16WeightBytes(graph),
  };
}
