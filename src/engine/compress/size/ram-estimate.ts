import { dtypeBits } from '../../ir/dtype';
import type { Model } from '../../ir/model';
import { inferShapes } from '../../ir/shape-inference';
import type { Value } from '../../ir/value';
import { tfliteRecord, type TfliteValueRecord } from '../../formats/tflite/ir-records';
import { modelGraphs } from '../../passes/util/graph-walk';
import { declaredTensor, deployedActivationMemory } from '../../devices/deployed-memory';

/** Memory a model needs while it runs, estimated from its graph. */
export interface RamEstimate {
  /** Constant data as the runtime holds it: the stored tensors plus the dense float copies TFLite makes of sparse and float16 weights. */
  weightBytes: number;
  /**
   * The most activation memory live at once as a runtime with a planned arena holds it (see
   * `deployedActivationMemory`, the figure the device estimates use; unknown dimensions taken as 1).
   * With subgraphs (If/Loop bodies, called graphs): the main graph's peak plus the largest subgraph's.
   */
  peakActivationBytes: number;
  /** TFLite tensors stored sparse (expanded to dense when the model loads). */
  sparseTensors: number;
}

// TFLite evaluates these once when it prepares the model and keeps their dense outputs.
const EXPANDED_AT_LOAD = new Set(['DENSIFY', 'DEQUANTIZE']);

function valueBytes(value: Value | undefined): number {
  const type = value?.type;
  if (type?.kind !== 'tensor' || !type.shape) return 0;
  const count = type.shape.reduce<number>((n, d) => n * (typeof d === 'number' && d > 0 ? d : 1), 1);
  return Math.ceil((count * dtypeBits(type.dtype)) / 8);
}

/** Estimates run-time memory of `model` (types are inferred in place where unknown). */
export function estimateRam(model: Model): RamEstimate {
  inferShapes(model);
  let weightBytes = 0;
  let sparseTensors = 0;
  let largestSubgraph = 0;
  for (const graph of modelGraphs(model)) {
    const constant = new Set<Value>();
    for (const t of graph.initializers) {
      weightBytes += t.byteLength;
      const v = graph.ownValue(t.name);
      if (v) constant.add(v);
      if (tfliteRecord<TfliteValueRecord>(v?.extras)?.tensor.sparsity) sparseTensors++;
    }
    for (const node of graph.nodes) {
      const inputs = node.inputs.filter((v): v is Value => v !== undefined);
      if (node.opType === 'Constant' || (EXPANDED_AT_LOAD.has(node.opType) && inputs.every((v) => constant.has(v)))) {
        for (const o of node.outputs) if (o) constant.add(o);
        weightBytes += node.opType === 'Constant' ? (node.tensor('value')?.byteLength ?? 0) : valueBytes(node.outputs[0]);
      }
    }
    if (graph !== model.graph)
      largestSubgraph = Math.max(largestSubgraph, deployedActivationMemory(graph, (v) => declaredTensor(v)).peakActivationBytes);
  }
  const main = deployedActivationMemory(model.graph, (v) => declaredTensor(v)).peakActivationBytes;
  return { weightBytes, peakActivationBytes: main + largestSubgraph, sparseTensors };
}
