/**
 * fuse-activation: a TFLite activation operator goes into the operator before it.
 *
 *   x ─ CONV_2D(act NONE) ─ RELU ─ y      →      x ─ CONV_2D(act RELU) ─ y
 *
 * (RELU, RELU6, RELU_N1_TO_1 after CONV_2D, DEPTHWISE_CONV_2D, FULLY_CONNECTED, ADD, SUB, MUL,
 * DIV and the 2-D pools.) ONNX has no such field; the pairs there are only counted.
 */
import { z } from 'zod';
import { TFLITE_DOMAIN } from '../formats/tflite/op-names';
import type { Graph } from '../ir/graph';
import type { Node } from '../ir/node';
import { definePass } from './pass';
import { intAttr, setAttribute } from './util/attributes';
import { constantTensor, tensorNumbers } from './util/constants';
import { modelGraphs } from './util/graph-walk';
import { nodeLabel, Skips } from './util/skips';

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

// Why the TFLite operator `p` cannot take on activation `act` (undefined: it can).
function whyNotFused(graph: Graph, act: Node, p: Node | undefined): string | undefined {
  const x = act.inputs[0];
  if (!x || !p) return 'its input is a model input or a constant';
  if (p.domain !== TFLITE_DOMAIN || !TFLITE_PRODUCERS.has(p.opType)) return `${p.opType} cannot apply an activation to its result`;
  const fused = p.attribute('fused_activation_function');
  if (fused?.value.kind !== 'int' || fused.value.value !== 0n) return `${p.opType} '${nodeLabel(p)}' already applies an activation`;
  if (graph.useCount(x) !== 1) return `the result of ${p.opType} '${nodeLabel(p)}' is also used before the activation`;
  return undefined;
}

// Merges RELU/RELU6/RELU_N1_TO_1 operators into the operator producing their input.
function fuseTflite(graph: Graph, skips: Skips): number {
  let fused = 0;
  for (const act of [...graph.nodes]) {
    const code = act.domain === TFLITE_DOMAIN ? TFLITE_FUSABLE[act.opType] : undefined;
    const y = act.outputs[0];
    if (code === undefined || !y) continue;
    const p = graph.producerOf(act.inputs[0]);
    const why = whyNotFused(graph, act, p);
    if (why || !p) {
      skips.add(act, why ?? 'it has no producer');
      continue;
    }
    setAttribute(p, 'fused_activation_function', intAttr(code));
    p.setOutput(0, y);
    graph.removeNode(act);
    fused++;
  }
  return fused;
}

function clipIsRelu6(graph: Graph, clip: Node): boolean {
  const bound = (i: number, attr: string): number | undefined => {
    const v = clip.inputs[i];
    if (!v) return clip.attribute(attr) ? clip.float(attr, Number.NaN) : undefined;
    const t = constantTensor(graph, v);
    const n = t ? tensorNumbers(t) : undefined;
    return n?.length === 1 ? n[0] : Number.NaN;
  };
  return bound(1, 'min') === 0 && bound(2, 'max') === 6;
}

// Layer → ReLU/ReLU6 pairs of an ONNX graph (which onnxruntime fuses itself when it loads the model).
function countOnnxPairs(graph: Graph): number {
  let pairs = 0;
  for (const act of graph.nodes) {
    const x = act.inputs[0];
    const p = graph.producerOf(x);
    if (act.domain !== '' || !x || !p || p.domain !== '' || !ONNX_PRODUCERS.has(p.opType) || graph.useCount(x) !== 1) continue;
    if (act.opType === 'Relu' || (act.opType === 'Clip' && clipIsRelu6(graph, act))) pairs++;
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
  formats: ['onnx', 'tflite'],
  run(model) {
    const skips = new Skips();
    let activationsFused = 0;
    let onnxPairs = 0;
    for (const graph of modelGraphs(model)) {
      activationsFused += fuseTflite(graph, skips);
      onnxPairs += countOnnxPairs(graph);
    }
    const notes =
      onnxPairs > 0
        ? [
            `${onnxPairs} layer + activation pairs were left as they are: ONNX cannot store a merged activation, and ONNX Runtime merges them itself when it loads the model.`,
          ]
        : [];
    return { changed: activationsFused > 0, stats: { activationsFused, onnxPairsLeftToRuntime: onnxPairs }, notes, skipped: skips.list };
  },
});
