/**
 * Pairs of layers whose channels can be rescaled against each other without changing the model:
 * the first layer's output reaches only the second layer's data input, through operators that
 * commute with a positive per-channel scale (f(x / s) = f(x) / s: ReLU, leaky ReLU, PReLU, max and
 * average pooling, zero padding, identity).
 *
 *   Conv₁ ─ Relu ─ MaxPool ─ Conv₂      DEPTHWISE_CONV_2D(act NONE) ─ CONV_2D
 *
 * ReLU6 and other clipping activations do not commute (their bound would have to move per channel),
 * nor do residual Adds or a fork to several readers: those layers are not paired.
 */
import type { Graph } from '../../ir/graph';
import type { Node } from '../../ir/node';
import type { Value } from '../../ir/value';
import { inputChannels, isTflite, readLayer, type LayerWeights } from './layer-weights';

/** Two layers with the channels between them. */
export interface LayerPair {
  first: LayerWeights;
  second: LayerWeights;
  /** Channels of the value between them. */
  channels: number;
}

const ONNX_COMMUTING = new Set([
  'Relu',
  'LeakyRelu',
  'PRelu',
  'MaxPool',
  'AveragePool',
  'GlobalMaxPool',
  'GlobalAveragePool',
  'Identity',
  'Dropout',
]);
const TFLITE_COMMUTING = new Set(['RELU', 'LEAKY_RELU', 'PRELU', 'MAX_POOL_2D', 'AVERAGE_POOL_2D', 'PAD']);
// TFLite fused activations that commute with a positive scale: NONE, RELU.
const TFLITE_SCALE_FREE_ACTIVATIONS = new Set([0, 1]);

function fusedActivationCommutes(node: Node): boolean {
  return !isTflite(node) || TFLITE_SCALE_FREE_ACTIVATIONS.has(node.int('fused_activation_function', 0));
}

function commutes(node: Node): boolean {
  if (isTflite(node)) return TFLITE_COMMUTING.has(node.opType) && fusedActivationCommutes(node);
  if (node.domain !== '' && node.domain !== 'ai.onnx') return false;
  if (node.opType === 'Dropout') return node.outputs.length < 2 || node.outputs[1] === undefined;
  return ONNX_COMMUTING.has(node.opType);
}

// The single reader of `v` inside the graph, when `v` is not also a graph output.
function onlyReader(graph: Graph, v: Value | undefined): Node | undefined {
  if (!v || graph.outputs.includes(v)) return undefined;
  const readers = v.consumers;
  return readers.length === 1 && readers[0]?.graph === graph ? readers[0] : undefined;
}

/** Where the chain from `first` stops: the layer it reaches, or `undefined`. */
function nextLayer(graph: Graph, first: Node): Node | undefined {
  if (!fusedActivationCommutes(first)) return undefined;
  let v = first.outputs[0];
  for (let steps = 0; steps < 16; steps++) {
    const reader = onlyReader(graph, v);
    if (!reader) return undefined;
    if (reader.inputs[0] !== v) return undefined;
    if (!commutes(reader)) return reader;
    v = reader.outputs[0];
  }
  return undefined;
}

/** The layer pairs of `graph` (see the header); a layer in two pairs is one shared {@link LayerWeights}. */
export function layerPairs(graph: Graph, excluded: (node: Node) => boolean): LayerPair[] {
  const layers = new Map<Node, LayerWeights | undefined>();
  const layerOf = (node: Node): LayerWeights | undefined => {
    if (!layers.has(node)) layers.set(node, excluded(node) ? undefined : readLayer(graph, node));
    return layers.get(node);
  };
  const pairs: LayerPair[] = [];
  for (const node of graph.nodes) {
    const first = layerOf(node);
    if (!first) continue;
    const reader = nextLayer(graph, node);
    const second = reader && layerOf(reader);
    if (!second) continue;
    const channels = first.dims[first.outAxis] ?? 0;
    if (channels < 2 || inputChannels(second) !== channels) continue;
    // A dense layer reads the last axis; a convolution's channels are another axis.
    if ((first.kind === 'dense') !== (second.kind === 'dense')) continue;
    pairs.push({ first, second, channels });
  }
  return pairs;
}
