/**
 * The float weights and bias of one convolution or dense layer, as editable arrays with their
 * channel axes, for rescaling passes (cross-layer equalization, bias correction). ONNX: Conv
 * (group 1 or depthwise), Gemm, MatMul with initializer weights; TFLite: CONV_2D,
 * DEPTHWISE_CONV_2D, FULLY_CONNECTED with float32 weights, float16 ones behind DEQUANTIZE, or
 * sparse ones behind DENSIFY. Written back as float32 constants (a sparse one stays sparse).
 */
import { storeSparse } from '../../compress/tflite/sparsify-weights';
import type { Graph } from '../../ir/graph';
import type { Node } from '../../ir/node';
import { tensorFloats } from '../../ir/tensor-floats';
import { TFLITE_DOMAIN } from '../../formats/tflite/op-names';
import type { Value } from '../../ir/value';
import { addConstant } from '../onnx/graph-edit';
import { addTfliteConstant, floatConstant } from '../tflite/tflite-constants';

/** One layer's weights and bias as float32 arrays, with how its channels run. */
export interface LayerWeights {
  node: Node;
  /** `depthwise`: output channel j reads only input channel ⌊j / multiplier⌋. */
  kind: 'conv' | 'depthwise' | 'dense';
  weight: Float32Array;
  dims: number[];
  outAxis: number;
  /** Axis of input channels (for `conv` and `dense`). */
  inAxis: number;
  /** Output channels per input channel (depthwise). */
  multiplier: number;
  /** The bias, one value per output channel (zeros when the layer has none). */
  bias: Float32Array;
  hasBias: boolean;
  /** True when the file stored the weights sparse (they are written back sparse). */
  sparse: boolean;
}

/** True for a TFLite builtin operator (not a type guard: the other branch is still a Node). */
export function isTflite(node: Node): boolean {
  return node.domain === TFLITE_DOMAIN;
}

interface Layout {
  kind: LayerWeights['kind'];
  outAxis: number;
  inAxis: number;
  multiplier: number;
}

function channelsOf(v: Value | undefined, axis: number): number | undefined {
  const shape = v?.type?.kind === 'tensor' ? v.type.shape : undefined;
  const d = shape?.[axis < 0 ? shape.length + axis : axis];
  return typeof d === 'number' ? d : undefined;
}

function onnxLayout(node: Node, dims: readonly number[]): Layout | undefined {
  if (node.opType === 'Conv' && dims.length >= 3) {
    const group = node.int('group', 1);
    const out = dims[0] ?? 0;
    if (group === 1) return { kind: 'conv', outAxis: 0, inAxis: 1, multiplier: 1 };
    if (dims[1] === 1 && out % group === 0) return { kind: 'depthwise', outAxis: 0, inAxis: 1, multiplier: out / group };
    return undefined;
  }
  if (node.opType === 'Gemm' && dims.length === 2 && node.int('transA', 0) === 0) {
    if (node.float('alpha', 1) !== 1 || node.float('beta', 1) !== 1) return undefined;
    return node.int('transB', 0) === 1
      ? { kind: 'dense', outAxis: 0, inAxis: 1, multiplier: 1 }
      : { kind: 'dense', outAxis: 1, inAxis: 0, multiplier: 1 };
  }
  if (node.opType === 'MatMul' && dims.length === 2) return { kind: 'dense', outAxis: 1, inAxis: 0, multiplier: 1 };
  return undefined;
}

function tfliteLayout(node: Node, dims: readonly number[]): Layout | undefined {
  if (dims.length === 4 && node.opType === 'CONV_2D') {
    const inputs = channelsOf(node.inputs[0], -1);
    return inputs === undefined || inputs === dims[3] ? { kind: 'conv', outAxis: 0, inAxis: 3, multiplier: 1 } : undefined;
  }
  if (dims.length === 4 && node.opType === 'DEPTHWISE_CONV_2D') {
    const inputs = channelsOf(node.inputs[0], -1);
    const out = dims[3] ?? 0;
    if (dims[0] !== 1 || !inputs || out % inputs !== 0) return undefined;
    return { kind: 'depthwise', outAxis: 3, inAxis: 3, multiplier: out / inputs };
  }
  if (dims.length === 2 && node.opType === 'FULLY_CONNECTED' && node.int('keep_num_dims', 0) === 0)
    return { kind: 'dense', outAxis: 0, inAxis: 1, multiplier: 1 };
  return undefined;
}

function onnxFloats(graph: Graph, v: Value | undefined): { data: Float32Array; dims: number[] } | undefined {
  const t = v?.initializer;
  if (!v || !t || t.dtype !== 'float32' || graph.inputs.includes(v)) return undefined;
  const data = tensorFloats(t);
  return data && { data, dims: [...t.dims] };
}

/** The layer's weights and bias, or `undefined` when it is not one this module edits. */
export function readLayer(graph: Graph, node: Node): LayerWeights | undefined {
  const tflite = isTflite(node);
  if (!tflite && node.domain !== '' && node.domain !== 'ai.onnx') return undefined;
  const w = tflite ? floatConstant(graph, node.inputs[1]) : onnxFloats(graph, node.inputs[1]);
  if (!w) return undefined;
  const layout = tflite ? tfliteLayout(node, w.dims) : onnxLayout(node, w.dims);
  if (!layout) return undefined;
  const channels = w.dims[layout.outAxis] ?? 0;
  const biasValue = node.opType === 'MatMul' ? undefined : node.inputs[2];
  const b = biasValue ? (tflite ? floatConstant(graph, biasValue) : onnxFloats(graph, biasValue)) : undefined;
  if (biasValue && (!b || b.data.length !== channels)) return undefined;
  return {
    node,
    ...layout,
    weight: w.data,
    dims: w.dims,
    bias: b?.data ?? new Float32Array(channels),
    hasBias: b !== undefined,
    sparse: 'sparse' in w && w.sparse === true,
  };
}

/** Channel of each element along `axis` of a tensor of `dims`. */
export function channelIndex(dims: readonly number[], axis: number): Int32Array {
  const count = dims.reduce((a, b) => a * b, 1);
  const inner = dims.slice(axis + 1).reduce((a, b) => a * b, 1);
  const size = dims[axis] ?? 1;
  return Int32Array.from({ length: count }, (_, e) => Math.floor(e / inner) % size);
}

/** Which intermediate channel each weight element reads: its input channel (depthwise: its output channel ÷ multiplier). */
export function inputChannelIndex(layer: LayerWeights): Int32Array {
  if (layer.kind !== 'depthwise') return channelIndex(layer.dims, layer.inAxis);
  return channelIndex(layer.dims, layer.outAxis).map((j) => Math.floor(j / layer.multiplier));
}

/** Input channels the layer reads. */
export function inputChannels(layer: LayerWeights): number {
  const out = layer.dims[layer.outAxis] ?? 0;
  return layer.kind === 'depthwise' ? out / layer.multiplier : (layer.dims[layer.inAxis] ?? 0);
}

/** Writes the layer's (edited) weights and bias back into the graph as float32 constants. */
export function writeLayer(graph: Graph, layer: LayerWeights): void {
  const weight = floatConstantFor(graph, layer.node, 'weights', layer.dims, layer.weight);
  layer.node.setInput(1, weight);
  // A sparse store puts a DENSIFY between the constant and its readers.
  if (isTflite(layer.node) && layer.sparse && weight.initializer) storeSparse(graph, weight, weight.initializer);
  writeBias(graph, layer);
}

/** Writes the layer's (edited) bias back as a float32 constant; a layer without one gets one when it is not all zeros. */
export function writeBias(graph: Graph, layer: LayerWeights): void {
  const node = layer.node;
  if (node.opType === 'MatMul' || (!layer.hasBias && layer.bias.every((b) => b === 0))) return;
  const dims = layer.hasBias ? biasDims(node, layer) : [layer.bias.length];
  node.setInput(2, floatConstantFor(graph, node, 'bias', dims, layer.bias));
}

function floatConstantFor(graph: Graph, node: Node, what: string, dims: number[], data: Float32Array): Value {
  const name = `${node.name || node.outputs[0]?.name || 'layer'}_${what}`;
  return isTflite(node) ? addTfliteConstant(graph, name, 'float32', dims, data) : addConstant(graph, name, 'float32', dims, data);
}

function biasDims(node: Node, layer: LayerWeights): number[] {
  const t = node.inputs[2]?.initializer;
  return t && t.dtype === 'float32' ? [...t.dims] : [layer.bias.length];
}
