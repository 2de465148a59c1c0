import { z } from 'zod';
import { TFLITE_DOMAIN } from '../formats/tflite/op-names';
import type { Graph } from '../ir/graph';
import type { Node } from '../ir/node';
import type { Value } from '../ir/value';
import { definePass } from './pass';
import { intAttr, setAttribute } from './util/attributes';
import { constantTensor, tensorNumbers } from './util/constants';
import { removeNodes, useCounts } from './util/graph-walk';

// TFLite ActivationFunctionType codes of the activations whose separate operator can be folded
// into the operator before it. TANH is left out: most TFLite kernels only clamp (they compute an
// activation range), so a fused TANH would be ignored rather than applied.
const TFLITE_FUSABLE: Readonly<Record<string, number>> = { RELU: 1, RELU_N1_TO_1: 2, RELU6: 3 };
// Operators whose TFLite kernels apply a fused activation (CONCATENATION has the field but its kernel requires NONE).
const TFLITE_PRODUCERS = new Set([
  'CONV_2D',
  'DEPTHWISE_CONV_2D',
  'FULLY_CONNECTED',
  'ADD',
  'SUB',
  'MUL',
  'DIV',
  'AVERAGE_POOL_2D',
  'MAX_POOL_2D',
]);
const ONNX_PRODUCERS = new Set(['Conv', 'Gemm', 'MatMul', 'Add', 'ConvTranspose']);

// Merges RELU/RELU6/RELU_N1_TO_1 operators into the operator producing their input.
function fuseTflite(graph: Graph): number {
  const producers = graph.producers();
  const counts = useCounts(graph);
  const removed = new Set<Node>();
  for (const act of graph.nodes) {
    const code = act.domain === TFLITE_DOMAIN ? TFLITE_FUSABLE[act.opType] : undefined;
    const x = act.inputs[0];
    const p = x ? producers.get(x) : undefined;
    const fused = p?.attribute('fused_activation_function');
    if (code === undefined || !x || !p || !act.outputs[0] || counts.get(x) !== 1 || removed.has(p)) continue;
    if (p.domain !== TFLITE_DOMAIN || !TFLITE_PRODUCERS.has(p.opType) || fused?.value.kind !== 'int' || fused.value.value !== 0n) continue;
    setAttribute(p, 'fused_activation_function', intAttr(code));
    p.outputs[0] = act.outputs[0];
    producers.set(act.outputs[0], p);
    removed.add(act);
  }
  removeNodes(graph, removed);
  return removed.size;
}

function clipIsRelu6(graph: Graph, clip: Node, producers: Map<Value, Node>): boolean {
  const bound = (i: number, attr: string): number | undefined => {
    const v = clip.inputs[i];
    if (!v) return clip.attribute(attr) ? clip.float(attr, Number.NaN) : undefined;
    const t = constantTensor(graph, v, producers);
    const n = t ? tensorNumbers(t) : undefined;
    return n?.length === 1 ? n[0] : Number.NaN;
  };
  return bound(1, 'min') === 0 && bound(2, 'max') === 6;
}

// Layer → ReLU/ReLU6 pairs of an ONNX graph (which onnxruntime fuses itself when it loads the model).
function countOnnxPairs(graph: Graph): number {
  const producers = graph.producers();
  const counts = useCounts(graph);
  let pairs = 0;
  for (const act of graph.nodes) {
    const x = act.inputs[0];
    const p = x ? producers.get(x) : undefined;
    if (act.domain !== '' || !x || !p || p.domain !== '' || !ONNX_PRODUCERS.has(p.opType) || counts.get(x) !== 1) continue;
    if (act.opType === 'Relu' || (act.opType === 'Clip' && clipIsRelu6(graph, act, producers))) pairs++;
  }
  return pairs;
}

/** Merges a simple activation into the layer before it, where the model format can store that. */
export const fuseActivation = definePass({
  name: 'fuse-activation',
  title: 'Merge activations into layers',
  description:
    'In a TFLite model, a ReLU or ReLU6 step right after a convolution, fully connected layer or addition becomes part of ' +
    'that layer (TFLite layers can apply it as they write their result), saving one pass over the data. ' +
    'ONNX has no place to store this; ONNX Runtime makes the same merge by itself when it loads a model, so ONNX models are left as they are.',
  options: z.object({}),
  run(model) {
    const activationsFused = fuseTflite(model.graph);
    const onnxPairs = countOnnxPairs(model.graph);
    const notes =
      onnxPairs > 0
        ? [
            `${onnxPairs} layer + activation pairs were left as they are: ONNX cannot store a merged activation, and ONNX Runtime merges them itself when it loads the model.`,
          ]
        : [];
    return { changed: activationsFused > 0, stats: { activationsFused, onnxPairsLeftToRuntime: onnxPairs }, notes };
  },
});
