import { z } from 'zod';
import type { Graph } from '../ir/graph';
import type { Node } from '../ir/node';
import type { Value } from '../ir/value';
import { definePass } from './pass';
import { constantTensor, tensorNumbers } from './util/constants';
import { recordFusedActivation, type FusedActivation } from './util/fused-activation';
import { useCounts } from './util/graph-walk';

const PRODUCERS = new Set(['Conv', 'Gemm', 'MatMul', 'Add', 'ConvTranspose']);

function clipBounds(graph: Graph, clip: Node, producers: Map<Value, Node>): [number, number] | undefined {
  const bound = (i: number, attr: string, fallback: number): number | undefined => {
    const v = clip.inputs[i];
    if (!v) return clip.float(attr, fallback);
    const t = constantTensor(graph, v, producers);
    const n = t ? tensorNumbers(t) : undefined;
    return n && n.length === 1 ? n[0] : undefined;
  };
  const lo = bound(1, 'min', -Infinity);
  const hi = bound(2, 'max', Infinity);
  return lo === undefined || hi === undefined ? undefined : [lo, hi];
}

// The TFLite fused activation equivalent to `node`, if there is one.
function activationOf(graph: Graph, node: Node, producers: Map<Value, Node>): FusedActivation | undefined {
  if (node.domain !== '') return undefined;
  if (node.opType === 'Relu') return 'RELU';
  if (node.opType === 'Tanh') return 'TANH';
  if (node.opType !== 'Clip') return undefined;
  const b = clipBounds(graph, node, producers);
  if (b?.[0] === 0 && b[1] === 6) return 'RELU6';
  if (b?.[0] === -1 && b[1] === 1) return 'RELU_N1_TO_1';
  if (b?.[0] === 0 && b[1] === Infinity) return 'RELU';
  return undefined;
}

/** Records which Conv/Gemm/MatMul/Add results feed straight into an activation TFLite can fuse. */
export const fuseActivation = definePass({
  name: 'fuse-activation',
  title: 'Merge activations into layers',
  description:
    'Finds layers followed directly by a simple activation (ReLU, ReLU6, tanh). When the model is saved as TFLite, ' +
    'the activation becomes part of the layer, saving a pass over the data. ONNX has no place to store this: ' +
    'ONNX Runtime makes the same merge by itself when it loads the model, so an ONNX result is unchanged.',
  options: z.object({}),
  run(model) {
    const graph = model.graph;
    const producers = graph.producers();
    const counts = useCounts(graph);
    let recorded = 0;
    for (const act of graph.nodes) {
      const x = act.inputs[0];
      const p = x ? producers.get(x) : undefined;
      if (!x || !p || p.domain !== '' || !PRODUCERS.has(p.opType) || counts.get(x) !== 1) continue;
      const activation = activationOf(graph, act, producers);
      if (!activation) continue;
      recordFusedActivation(p, { activation, node: act });
      recorded++;
    }
    const notes = recorded > 0 ? [`${recorded} activations can be merged into the layer before them in a TFLite export; the ONNX graph is left as it is (ONNX Runtime merges them itself).`] : [];
    return { changed: false, stats: { fusableActivations: recorded }, notes };
  },
});
