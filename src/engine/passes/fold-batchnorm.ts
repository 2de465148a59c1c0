/**
 * fold-batchnorm: a per-channel scale and shift right after a layer goes into the layer's weights.
 *
 *   x ─ Conv(W, b) ─ BatchNormalization(γ, β, μ, σ²) ─ y      x ─ Conv(W', b') ─ y
 *   x ─ Conv(W, b) ─ Add(k) / Mul(k) ─ y                 →    (k one value per channel)
 *
 *   s[c] = γ[c] / √(σ²[c] + ε)     W'[c,…] = W[c,…]·s[c]     b'[c] = (b[c] − μ[c])·s[c] + β[c]
 *   (Add k: s = 1, shift k; Mul k: s = k, shift 0; Gemm: the bias is first multiplied by beta.)
 */
import { z } from 'zod';
import type { Graph } from '../ir/graph';
import type { Node } from '../ir/node';
import type { Tensor } from '../ir/tensor';
import { definePass } from './pass';
import { floatAttr, setAttribute } from './util/attributes';
import { channelAffine, type ChannelAffine } from './util/channel-affine';
import { addConstant, allowInitializersOutsideInputs, constantTensor, float32Data, floatTensor, tensorType } from './util/constants';
import { removeDeadCode } from './util/dead-code';
import { modelGraphs } from './util/graph-walk';
import { declined, matched, type Match } from './util/match';
import { nodeLabel, Skips } from './util/skips';

const LAYERS = new Set(['Conv', 'ConvTranspose', 'Gemm']);

// Where a layer keeps its output channels: the weight axis, the output rank and the bias factor.
interface Layout {
  weight: Tensor;
  axis: number;
  rank: number;
  channels: number;
  /** Factor the layer applies to its bias input (Gemm's beta). */
  biasFactor: number;
}

function layoutOf(graph: Graph, node: Node): Match<Layout> {
  const weight = constantTensor(graph, node.inputs[1]);
  if (!weight || weight.dtype !== 'float32')
    return declined(`the weights of ${node.opType} '${nodeLabel(node)}' are not a float32 constant`);
  if (node.inputs[2] && !constantTensor(graph, node.inputs[2]))
    return declined(`the bias of ${node.opType} '${nodeLabel(node)}' is not constant`);
  const rank = weight.dims.length;
  const along = (axis: number, biasFactor: number): Match<Layout> => {
    const channels = weight.dims[axis];
    return channels === undefined ? declined('its weights have too few dimensions') : matched({ weight, axis, rank, channels, biasFactor });
  };
  if (node.opType === 'Conv' && rank >= 3) return along(0, 1);
  if (node.opType === 'ConvTranspose' && rank >= 3) {
    if (node.int('group', 1) !== 1) return declined('grouped transposed convolutions are not folded');
    return along(1, 1);
  }
  if (node.opType === 'Gemm' && rank === 2) return along(node.int('transB', 0) === 1 ? 0 : 1, node.inputs[2] ? node.float('beta', 1) : 0);
  return declined(`the weights of ${node.opType} '${nodeLabel(node)}' have an unexpected shape`);
}

// The layer's bias as one value per channel (zeros when it has none).
function biasPerChannel(graph: Graph, node: Node, channels: number): Match<Float32Array> {
  const t = constantTensor(graph, node.inputs[2]);
  if (!t) return matched(new Float32Array(channels));
  const data = float32Data(t);
  if (!data) return declined('the layer bias is not float32');
  const [only] = data;
  if (data.length === 1 && only !== undefined) return matched(new Float32Array(channels).fill(only));
  return data.length === channels && t.dims[t.dims.length - 1] === channels
    ? matched(data)
    : declined('the layer bias is not one value per channel');
}

// Stores `data` as the layer's input `slot`: in place of the initializer there when only this layer reads it (the
// file keeps its tensor names and does not grow), else as a new initializer.
function storeInput(graph: Graph, node: Node, slot: number, dims: number[], data: Float32Array, name: string): void {
  const old = node.inputs[slot];
  const index = old?.initializer ? graph.initializers.indexOf(old.initializer) : -1;
  if (old && index >= 0 && graph.users(old).length === 1 && !graph.inputs.includes(old) && !graph.outputs.includes(old)) {
    const t = floatTensor(old.name, dims, data);
    graph.initializers[index] = t;
    old.initializer = t;
    old.type = tensorType(t);
    return;
  }
  node.setInput(slot, addConstant(graph, floatTensor(graph.freshName(name), dims, data)));
}

// Applies `affine` to the layer's weights and bias.
function fold(graph: Graph, node: Node, layout: Layout, affine: ChannelAffine, bias: Float32Array, tag: string): void {
  const w = float32Data(layout.weight) as Float32Array;
  const dims = layout.weight.dims;
  const stride = dims.slice(layout.axis + 1).reduce((a, b) => a * b, 1);
  // affine.scale, affine.shift and bias hold one value per channel: indices below layout.channels exist.
  const weight = w.map((value, i) => value * (affine.scale[Math.floor(i / stride) % layout.channels] ?? 1));
  const b = new Float32Array(layout.channels);
  for (let c = 0; c < layout.channels; c++) b[c] = layout.biasFactor * (bias[c] ?? 0) * (affine.scale[c] ?? 1) + (affine.shift[c] ?? 0);
  const base = node.inputs[1]?.name ?? node.name;
  storeInput(graph, node, 1, [...dims], weight, `${base}_${tag}`);
  storeInput(graph, node, 2, [layout.channels], b, `${base}_bias`);
  if (node.opType === 'Gemm') setAttribute(node, 'beta', floatAttr(1));
}

// Tries to fold the node reading `layer`'s output into it; the folded node, or why not.
function foldNext(graph: Graph, layer: Node): Match<Node> | undefined {
  const y = layer.outputs[0];
  const readers = y ? graph.users(y) : [];
  const [next] = readers;
  if (!y || !next) return undefined;
  const candidate = next.opType === 'BatchNormalization';
  if (readers.length !== 1 || graph.outputs.includes(y))
    return candidate ? declined(`the output of ${layer.opType} '${nodeLabel(layer)}' is also used elsewhere`) : undefined;
  const out = next.outputs[0];
  const layout = layoutOf(graph, layer);
  if (!layout.ok) return candidate ? layout : undefined;
  const affine = channelAffine(graph, next, y, layout.value.rank, layout.value.channels);
  if (!affine.ok || !out) return candidate && !affine.ok ? affine : undefined;
  const bias = biasPerChannel(graph, layer, layout.value.channels);
  if (!bias.ok) return candidate ? bias : undefined;
  fold(graph, layer, layout.value, affine.value, bias.value, candidate ? 'bnfolded' : 'folded');
  layer.outputs = [out];
  graph.removeNode(next);
  return matched(next);
}

// Folds every per-channel affine node that directly follows a Conv/ConvTranspose/Gemm; returns counts by op.
function foldInGraph(graph: Graph, skips: Skips): Record<string, number> {
  const folded: Record<string, number> = {};
  const declinedNodes = new Set<Node>();
  for (const layer of [...graph.nodes]) {
    if (layer.domain !== '' || !LAYERS.has(layer.opType) || layer.graph !== graph) continue;
    for (let result = foldNext(graph, layer); result; result = foldNext(graph, layer)) {
      if (!result.ok) {
        const [next] = layer.outputs[0] ? graph.users(layer.outputs[0]) : [];
        if (next) {
          skips.add(next, result.reason);
          declinedNodes.add(next);
        }
        break;
      }
      folded[result.value.opType] = (folded[result.value.opType] ?? 0) + 1;
    }
  }
  for (const bn of graph.nodes) {
    if (bn.opType !== 'BatchNormalization' || declinedNodes.has(bn)) continue;
    const p = graph.producerOf(bn.inputs[0]);
    skips.add(
      bn,
      p ? `it follows ${p.opType} '${nodeLabel(p)}', not a convolution or fully connected layer` : 'it normalizes a model input',
    );
  }
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
  formats: ['onnx'],
  run(model) {
    const skips = new Skips();
    const folded: Record<string, number> = {};
    let initializersRemoved = 0;
    for (const graph of modelGraphs(model)) {
      const counts = foldInGraph(graph, skips);
      for (const [op, n] of Object.entries(counts)) folded[op] = (folded[op] ?? 0) + n;
      if (Object.keys(counts).length > 0) initializersRemoved += removeDeadCode(graph).initializersRemoved;
    }
    const total = Object.values(folded).reduce((a, b) => a + b, 0);
    if (total > 0) allowInitializersOutsideInputs(model);
    const stats = {
      batchNormsFolded: folded.BatchNormalization ?? 0,
      addsFolded: (folded.Add ?? 0) + (folded.Sub ?? 0),
      mulsFolded: folded.Mul ?? 0,
      initializersRemoved,
    };
    return { changed: total > 0, stats, skipped: skips.list };
  },
});
