import { z } from 'zod';
import type { Graph } from '../ir/graph';
import type { Node } from '../ir/node';
import type { Tensor } from '../ir/tensor';
import type { Value } from '../ir/value';
import { definePass } from './pass';
import { floatAttr, setAttribute } from './util/attributes';
import { addConstant, constantTensor, float32Data, floatTensor } from './util/constants';
import { removeDeadCode } from './util/dead-code';
import { freshName, useCounts } from './util/graph-walk';

/** Per-channel affine form of an inference BatchNormalization: y = x·scale + shift. */
interface Affine {
  scale: Float64Array;
  shift: Float64Array;
}

function batchNormAffine(graph: Graph, bn: Node, producers: Map<Value, Node>, counts: Map<Value, number>): Affine | undefined {
  if (bn.domain !== '' || bn.int('training_mode', 0) !== 0 || bn.int('spatial', 1) !== 1) return undefined;
  if (bn.outputs.slice(1).some((o) => o && (counts.get(o) ?? 0) > 0)) return undefined;
  const params = bn.inputs.slice(1, 5).map((v) => {
    const t = constantTensor(graph, v, producers);
    return t && t.dims.length === 1 ? float32Data(t) : undefined;
  });
  const [gamma, beta, mean, variance] = params;
  if (!gamma || !beta || !mean || !variance) return undefined;
  const c = gamma.length;
  if (![beta, mean, variance].every((p) => p.length === c)) return undefined;
  const eps = bn.float('epsilon', 1e-5);
  const scale = new Float64Array(c);
  const shift = new Float64Array(c);
  for (let i = 0; i < c; i++) {
    scale[i] = gamma[i] / Math.sqrt(variance[i] + eps);
    shift[i] = beta[i] - mean[i] * scale[i];
  }
  return { scale, shift };
}

/** Per-channel bias of length `channels` from an optional constant (scalar or one value per channel). */
function channelBias(t: Tensor | undefined, channels: number): Float32Array | undefined {
  if (!t) return new Float32Array(channels);
  const data = float32Data(t);
  if (!data) return undefined;
  if (data.length === 1) return new Float32Array(channels).fill(data[0]);
  return data.length === channels && t.dims[t.dims.length - 1] === channels ? data : undefined;
}

interface Folded {
  weight: Float32Array;
  bias: Float32Array;
}

function foldConv(graph: Graph, conv: Node, bn: Affine, producers: Map<Value, Node>): Folded | undefined {
  const w = constantTensor(graph, conv.inputs[1], producers);
  const wData = w && float32Data(w);
  const c = bn.scale.length;
  if (!w || !wData || w.dims[0] !== c) return undefined;
  const bias = channelBias(constantTensor(graph, conv.inputs[2], producers), c);
  if (!bias || (conv.inputs[2] && !constantTensor(graph, conv.inputs[2], producers))) return undefined;
  const per = wData.length / c;
  const weight = new Float32Array(wData.length);
  for (let i = 0; i < wData.length; i++) weight[i] = wData[i] * bn.scale[Math.floor(i / per)];
  const b = new Float32Array(c);
  for (let i = 0; i < c; i++) b[i] = bias[i] * bn.scale[i] + bn.shift[i];
  return { weight, bias: b };
}

function foldGemm(graph: Graph, gemm: Node, bn: Affine, producers: Map<Value, Node>): Folded | undefined {
  const w = constantTensor(graph, gemm.inputs[1], producers);
  const wData = w && float32Data(w);
  const c = bn.scale.length;
  const transB = gemm.int('transB', 0) === 1;
  if (!w || !wData || w.dims.length !== 2 || w.dims[transB ? 0 : 1] !== c) return undefined;
  const cInput = constantTensor(graph, gemm.inputs[2], producers);
  if (gemm.inputs[2] && !cInput) return undefined;
  const bias = channelBias(cInput, c);
  if (!bias) return undefined;
  const beta = gemm.inputs[2] ? gemm.float('beta', 1) : 0;
  const weight = new Float32Array(wData.length);
  const cols = w.dims[1];
  for (let i = 0; i < wData.length; i++) weight[i] = wData[i] * bn.scale[transB ? Math.floor(i / cols) : i % cols];
  const b = new Float32Array(c);
  for (let i = 0; i < c; i++) b[i] = beta * bias[i] * bn.scale[i] + bn.shift[i];
  return { weight, bias: b };
}

/** Folds every eligible BatchNormalization of `graph` into its producer; returns how many. */
function foldInGraph(graph: Graph): number {
  const producers = graph.producers();
  const counts = useCounts(graph);
  const removed = new Set<Node>();
  for (const bn of graph.nodes) {
    if (bn.opType !== 'BatchNormalization' || !bn.inputs[0] || !bn.outputs[0]) continue;
    const p = producers.get(bn.inputs[0]);
    if (!p || p.domain !== '' || removed.has(p) || counts.get(bn.inputs[0]) !== 1 || p.outputs.length !== 1) continue;
    const affine = batchNormAffine(graph, bn, producers, counts);
    if (!affine) continue;
    const folded = p.opType === 'Conv' ? foldConv(graph, p, affine, producers) : p.opType === 'Gemm' ? foldGemm(graph, p, affine, producers) : undefined;
    if (!folded) continue;
    const w = p.inputs[1] as Value;
    const wDims = constantTensor(graph, w, producers)?.dims ?? [];
    p.inputs[1] = addConstant(graph, floatTensor(freshName(graph, `${w.name}_bnfolded`), [...wDims], folded.weight));
    p.inputs[2] = addConstant(graph, floatTensor(freshName(graph, `${bn.outputs[0].name}_bias`), [folded.bias.length], folded.bias));
    if (p.opType === 'Gemm') setAttribute(p, 'beta', floatAttr(1));
    const old = p.outputs[0];
    p.outputs[0] = bn.outputs[0];
    graph.annotated = graph.annotated.filter((v) => v !== old);
    removed.add(bn);
  }
  graph.nodes = graph.nodes.filter((n) => !removed.has(n));
  return removed.size;
}

/** Folds BatchNormalization into the Conv or Gemm before it. */
export const foldBatchnorm = definePass({
  name: 'fold-batchnorm',
  title: 'Merge batch normalization into convolutions',
  description:
    'A batch normalization right after a convolution or fully connected layer only scales and shifts each channel; ' +
    'that can be built into the layer\'s weights once, ahead of time. One operation less per layer, same results.',
  options: z.object({}),
  run(model) {
    const folded = foldInGraph(model.graph);
    const cleanup = folded > 0 ? removeDeadCode(model.graph) : undefined;
    return { changed: folded > 0, stats: { batchNormsFolded: folded, initializersRemoved: cleanup?.initializersRemoved ?? 0, nodesRemoved: cleanup?.nodesRemoved ?? 0 } };
  },
});
