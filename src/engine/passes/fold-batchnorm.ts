import { z } from 'zod';
import type { Graph } from '../ir/graph';
import type { Node } from '../ir/node';
import type { Tensor } from '../ir/tensor';
import type { Value } from '../ir/value';
import { definePass } from './pass';
import { floatAttr, setAttribute } from './util/attributes';
import { channelAffine, type ChannelAffine } from './util/channel-affine';
import { addConstant, allowInitializersOutsideInputs, constantTensor, float32Data, floatTensor } from './util/constants';
import { removeDeadCode } from './util/dead-code';
import { freshName, useCounts } from './util/graph-walk';

// Where a layer keeps its output channels: the weight axis, the output rank and the bias factor.
interface Layout {
  weight: Tensor;
  axis: number;
  rank: number;
  channels: number;
  /** Factor the layer applies to its bias input (Gemm's beta). */
  biasFactor: number;
}

function layoutOf(graph: Graph, node: Node, producers: Map<Value, Node>): Layout | undefined {
  const weight = constantTensor(graph, node.inputs[1], producers);
  if (!weight || weight.dtype !== 'float32' || (node.inputs[2] && !constantTensor(graph, node.inputs[2], producers))) return undefined;
  const rank = weight.dims.length;
  const along = (axis: number, biasFactor: number): Layout | undefined => {
    const channels = weight.dims[axis];
    return channels === undefined ? undefined : { weight, axis, rank, channels, biasFactor };
  };
  if (node.opType === 'Conv' && rank >= 3) return along(0, 1);
  if (node.opType === 'ConvTranspose' && rank >= 3 && node.int('group', 1) === 1) return along(1, 1);
  if (node.opType === 'Gemm' && rank === 2) return along(node.int('transB', 0) === 1 ? 0 : 1, node.inputs[2] ? node.float('beta', 1) : 0);
  return undefined;
}

// The layer's bias as one value per channel (zeros when it has none), or `undefined` if it has another shape.
function biasPerChannel(graph: Graph, node: Node, producers: Map<Value, Node>, channels: number): Float32Array | undefined {
  const t = constantTensor(graph, node.inputs[2], producers);
  if (!t) return new Float32Array(channels);
  const data = float32Data(t);
  if (!data) return undefined;
  const [only] = data;
  if (data.length === 1 && only !== undefined) return new Float32Array(channels).fill(only);
  return data.length === channels && t.dims[t.dims.length - 1] === channels ? data : undefined;
}

// Applies `affine` to the layer's weights and bias, writing them as new initializers.
function fold(graph: Graph, node: Node, layout: Layout, affine: ChannelAffine, bias: Float32Array, tag: string): void {
  const w = float32Data(layout.weight) as Float32Array;
  const dims = layout.weight.dims;
  const stride = dims.slice(layout.axis + 1).reduce((a, b) => a * b, 1);
  // affine.scale, affine.shift and bias hold one value per channel: indices below layout.channels exist.
  const weight = w.map((value, i) => value * affine.scale[Math.floor(i / stride) % layout.channels]!);
  const b = new Float32Array(layout.channels);
  for (let c = 0; c < layout.channels; c++) b[c] = layout.biasFactor * bias[c]! * affine.scale[c]! + affine.shift[c]!;
  const base = node.inputs[1]?.name ?? node.name;
  node.inputs[1] = addConstant(graph, floatTensor(freshName(graph, `${base}_${tag}`), [...dims], weight));
  node.inputs[2] = addConstant(graph, floatTensor(freshName(graph, `${base}_${tag}_bias`), [layout.channels], b));
  if (node.opType === 'Gemm') setAttribute(node, 'beta', floatAttr(1));
}

// Folds every per-channel affine node that directly follows a Conv/ConvTranspose/Gemm; returns counts by op.
function foldInGraph(graph: Graph): Record<string, number> {
  const producers = graph.producers();
  const counts = useCounts(graph);
  const consumers = graph.consumers();
  const folded: Record<string, number> = {};
  const removed = new Set<Node>();
  for (const layer of [...graph.nodes]) {
    if (layer.domain !== '' || !['Conv', 'ConvTranspose', 'Gemm'].includes(layer.opType)) continue;
    for (;;) {
      const y = layer.outputs[0];
      const next = y && counts.get(y) === 1 ? consumers.get(y)?.[0] : undefined;
      const layout = layoutOf(graph, layer, producers);
      const affine = next && y && layout && channelAffine(graph, next, y, producers, counts, layout.rank, layout.channels);
      const bias = affine && layout && biasPerChannel(graph, layer, producers, layout.channels);
      if (!next || !layout || !affine || !bias || !next.outputs[0]) break;
      fold(graph, layer, layout, affine, bias, next.opType === 'BatchNormalization' ? 'bnfolded' : 'folded');
      layer.outputs = [next.outputs[0]];
      graph.annotated = graph.annotated.filter((v) => v !== y);
      removed.add(next);
      folded[next.opType] = (folded[next.opType] ?? 0) + 1;
      producers.set(next.outputs[0], layer);
    }
  }
  graph.nodes = graph.nodes.filter((n) => !removed.has(n));
  return folded;
}

/** Folds BatchNormalization (and constant per-channel scale/shift) into the Conv or Gemm before it. */
export const foldBatchnorm = definePass({
  name: 'fold-batchnorm',
  title: 'Merge batch normalization into convolutions',
  description:
    'A batch normalization right after a convolution or fully connected layer only scales and shifts each channel; ' +
    "that can be built into the layer's weights once, ahead of time. The same is done for a separate bias addition " +
    'or per-channel multiplication right after the layer. One operation less each time, same results.',
  options: z.object({}),
  run(model) {
    const folded = foldInGraph(model.graph);
    const total = Object.values(folded).reduce((a, b) => a + b, 0);
    if (total > 0) allowInitializersOutsideInputs(model);
    const cleanup = total > 0 ? removeDeadCode(model.graph) : undefined;
    const stats = {
      batchNormsFolded: folded.BatchNormalization ?? 0,
      addsFolded: (folded.Add ?? 0) + (folded.Sub ?? 0),
      mulsFolded: folded.Mul ?? 0,
      initializersRemoved: cleanup?.initializersRemoved ?? 0,
    };
    return { changed: total > 0, stats };
  },
});
