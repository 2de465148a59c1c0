import type { Graph } from '../../ir/graph';
import type { Model } from '../../ir/model';
import type { Node } from '../../ir/node';
import type { Tensor } from '../../ir/tensor';
import type { Value } from '../../ir/value';
import { isConstantNode } from '../../passes/util/constants';
import { modelGraphs } from '../../passes/util/graph-walk';
import { isEditableFloat } from './float-data';

/** How a layer uses its weight tensor. */
export type LayerKind = 'conv' | 'depthwise' | 'conv-transpose' | 'dense';

/** A layer with a constant float weight tensor that pruning and clustering can edit. */
export interface WeightLayer {
  /** The layer's name: its node's name, else its first output's. */
  name: string;
  opType: string;
  kind: LayerKind;
  graph: Graph;
  node: Node;
  /** The stored weights (an initializer or a Constant node's tensor; float16 behind a TFLite DEQUANTIZE). */
  tensor: Tensor;
  /** The value that carries the stored weights. */
  stored: Value;
  /** Axis of the tensor along which output channels run. */
  outAxis: number;
  /** Axis of input channels that products are summed over (absent for depthwise: one input channel per filter). */
  inAxis: number | undefined;
}

interface Layout {
  kind: LayerKind;
  outAxis: number;
  inAxis: number | undefined;
}

/** Where the weight input is and how its axes are used, for the operators pruning understands. */
function layoutOf(node: Node, rank: number): Layout | undefined {
  if (node.domain === '' || node.domain === 'ai.onnx') {
    if (node.opType === 'Conv' && rank >= 3) {
      const depthwise = node.int('group', 1) > 1;
      return depthwise ? { kind: 'depthwise', outAxis: 0, inAxis: undefined } : { kind: 'conv', outAxis: 0, inAxis: 1 };
    }
    if (node.opType === 'ConvTranspose' && rank >= 3 && node.int('group', 1) === 1)
      return { kind: 'conv-transpose', outAxis: 1, inAxis: 0 };
    if (node.opType === 'Gemm' && rank === 2)
      return node.int('transB', 0) === 1 ? { kind: 'dense', outAxis: 0, inAxis: 1 } : { kind: 'dense', outAxis: 1, inAxis: 0 };
    if (node.opType === 'MatMul' && rank >= 2) return { kind: 'dense', outAxis: rank - 1, inAxis: rank - 2 };
    return undefined;
  }
  if (node.domain !== 'tflite') return undefined;
  if (node.opType === 'CONV_2D' && rank === 4) return { kind: 'conv', outAxis: 0, inAxis: 3 };
  if (node.opType === 'DEPTHWISE_CONV_2D' && rank === 4) return { kind: 'depthwise', outAxis: 3, inAxis: undefined };
  if (node.opType === 'FULLY_CONNECTED' && rank === 2) return { kind: 'dense', outAxis: 0, inAxis: 1 };
  if (node.opType === 'TRANSPOSE_CONV' && rank === 4) return { kind: 'conv-transpose', outAxis: 0, inAxis: 3 };
  return undefined;
}

/** The constant float tensor behind `value` (directly, via a Constant node, or via a TFLite DEQUANTIZE of a constant). */
function storedWeights(graph: Graph, value: Value | undefined): { tensor: Tensor; stored: Value } | undefined {
  if (!value) return undefined;
  // An initializer that is also a graph input (IR < 4 lists them all) is still the model's stored weight.
  if (value.initializer) return { tensor: value.initializer, stored: value };
  const p = graph.producerOf(value);
  if (!p) return undefined;
  if (isConstantNode(p)) {
    const t = p.tensor('value');
    return t ? { tensor: t, stored: value } : undefined;
  }
  if (p.domain === 'tflite' && p.opType === 'DEQUANTIZE') {
    const source = p.inputs[0];
    if (source?.initializer && source.initializer.dtype === 'float16') return { tensor: source.initializer, stored: source };
  }
  return undefined;
}

/**
 * Every layer of `model` (all graphs) whose weights are a constant float32/float16 tensor:
 * Conv, ConvTranspose, Gemm and MatMul (ONNX), CONV_2D, DEPTHWISE_CONV_2D, FULLY_CONNECTED and
 * TRANSPOSE_CONV (TFLite). A tensor shared by several layers is listed once, under the first.
 */
export function weightLayers(model: Model): WeightLayer[] {
  const layers: WeightLayer[] = [];
  const seen = new Set<Tensor>();
  for (const graph of modelGraphs(model)) {
    for (const node of graph.nodes) {
      // The weights are input 1 of every operator here (TFLite TRANSPOSE_CONV: output shape, weights, input).
      const found = storedWeights(graph, node.inputs[1]);
      if (!found || seen.has(found.tensor) || !isEditableFloat(found.tensor) || found.tensor.elementCount < 2) continue;
      const layout = layoutOf(node, found.tensor.dims.length);
      if (!layout) continue;
      seen.add(found.tensor);
      layers.push({ name: node.name || node.outputs[0]?.name || found.tensor.name, opType: node.opType, graph, node, ...found, ...layout });
    }
  }
  return layers;
}

/** Parts of a name a user may refer to it by: `/fc1/Gemm` → `fc1`, `Gemm`; `fc1.weight` → `fc1`, `weight`. */
function nameParts(name: string): string[] {
  return name.split(/[/.:;]+/).filter(Boolean);
}

/** True when `key` names the layer: its node, its output, its weight tensor, or a part of one of those names. */
export function layerMatches(layer: WeightLayer, key: string): boolean {
  const names = [layer.name, layer.node.outputs[0]?.name ?? '', layer.tensor.name, layer.stored.name].filter(Boolean);
  return names.includes(key) || names.some((n) => nameParts(n).includes(key));
}
