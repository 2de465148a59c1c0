import type { Graph } from '../../ir/graph';
import type { Model } from '../../ir/model';
import { Tensor } from '../../ir/tensor';
import type { Value } from '../../ir/value';
import { toHalfBits } from '../../util/half-float';
import { dtypeToOnnx } from '../../formats/onnx';
import { allowInitializersOutsideInputs } from '../../passes/util/constants';
import { addValue, intAttr, makeNode } from './graph-edit';

const FLOAT16 = dtypeToOnnx('float16');
const FLOAT32 = dtypeToOnnx('float32');

/** Inputs that must stay float32 whatever the model's precision (sizes and scales). */
const FLOAT32_ONLY: Record<string, number[]> = { Resize: [1, 2], Upsample: [1] };

function halfTensor(t: Tensor): Tensor {
  const data = t.toTypedArray() as Float32Array;
  const half = Uint16Array.from(data, toHalfBits);
  const out = new Tensor(t.name, 'float16', [...t.dims], new Uint8Array(half.buffer));
  out.docString = t.docString;
  return out;
}

/** Initializers that feed float32-only inputs (kept as they are). */
function pinnedFloat32(graph: Graph): Set<Value> {
  const pinned = new Set<Value>();
  for (const node of graph.nodes)
    for (const i of FLOAT32_ONLY[node.opType] ?? []) {
      const input = node.inputs[i];
      if (input) pinned.add(input);
    }
  return pinned;
}

/**
 * Takes the main graph's initializers out of its inputs (models before ONNX IR 4 list every weight
 * as an input, a default the caller may replace) so they can be converted like any weight; raises
 * the IR version to 4, where that is allowed. Returns how many inputs were weights.
 */
export function unlistWeightInputs(model: Model): number {
  const graph = model.graph;
  const weights = graph.inputs.filter((v) => v.initializer !== undefined);
  if (weights.length === 0) return 0;
  graph.inputs = graph.inputs.filter((v) => v.initializer === undefined);
  allowInitializersOutsideInputs(model);
  return weights.length;
}

/**
 * Stores float32 weights (initializers and Constant nodes, in subgraphs too) as float16 behind a
 * Cast to float32: half the weight bytes, computation unchanged (runs on every runtime). Returns
 * how many tensors were converted; `convertible` can keep some values float32.
 */
export function float16Weights(model: Model, minElements: number, convertible: (value: Value) => boolean = () => true): number {
  return weightsInGraph(model.graph, minElements, convertible);
}

function weightsInGraph(graph: Graph, minElements: number, convertible: (value: Value) => boolean): number {
  const pinned = pinnedFloat32(graph);
  const casts = [];
  let converted = 0;
  for (const t of [...graph.initializers]) {
    const value = graph.ownValue(t.name);
    if (t.dtype !== 'float32' || t.elementCount < minElements || !value || pinned.has(value) || graph.inputs.includes(value)) continue;
    if (!convertible(value)) continue;
    const half = halfTensor(t);
    half.name = graph.freshName(`${t.name}_fp16`);
    graph.initializers = graph.initializers.filter((x) => x !== t);
    value.initializer = undefined;
    const halfValue = graph.addInitializer(half);
    casts.push(makeNode('Cast', [halfValue], [value], `${t.name}_Cast`, [intAttr('to', FLOAT32)]));
    converted++;
  }
  for (const node of [...graph.nodes]) {
    for (const sub of node.subgraphs()) converted += weightsInGraph(sub, minElements, convertible);
    const t = node.opType === 'Constant' ? node.tensor('value') : undefined;
    const output = node.outputs[0];
    if (!t || !output || t.dtype !== 'float32' || t.elementCount < minElements || pinned.has(output) || !convertible(output)) continue;
    node.attributes = node.attributes.map((a) => (a.name === 'value' ? { ...a, value: { kind: 'tensor', value: halfTensor(t) } } : a));
    const half = addValue(graph, `${output.name}_fp16`, 'float16', [...t.dims]);
    node.outputs = [half];
    graph.addNode(makeNode('Cast', [half], [output], `${output.name}_Cast`, [intAttr('to', FLOAT32)]), { after: node });
    converted++;
  }
  graph.addNodes(casts, { at: 0 });
  return converted;
}

/**
 * Converts the whole graph to float16: weights, activations, Cast targets and constants. With
 * `keepIo`, float32 inputs and outputs stay float32 behind Casts. Returns converted tensors.
 */
export function float16Full(model: Model, keepIo: boolean): number {
  const graph = model.graph;
  const pinned = pinnedFloat32(graph);
  let converted = 0;
  graph.initializers = graph.initializers.map((t) => {
    const value = graph.ownValue(t.name);
    if (t.dtype !== 'float32' || (value && pinned.has(value))) return t;
    const half = halfTensor(t);
    if (value) value.initializer = half;
    converted++;
    return half;
  });
  const boundary = new Set<Value>([...graph.inputs, ...graph.outputs]);
  for (const value of graph.ownValues()) {
    if (value.type?.kind === 'tensor' && value.type.dtype === 'float32' && !pinned.has(value) && !(keepIo && boundary.has(value)))
      value.type = { ...value.type, dtype: 'float16' };
  }
  for (const node of graph.nodes) {
    if (node.opType === 'Cast' && node.int('to', 0) === FLOAT32)
      node.attributes = node.attributes.map((a) => (a.name === 'to' ? intAttr('to', FLOAT16) : a));
    for (const a of node.attributes)
      if (a.value.kind === 'tensor' && a.value.value.dtype === 'float32') a.value = { kind: 'tensor', value: halfTensor(a.value.value) };
  }
  if (keepIo) {
    const casts = [];
    for (const input of graph.inputs) {
      if (input.initializer || input.type?.kind !== 'tensor' || input.type.dtype !== 'float32') continue;
      const half = addValue(graph, `${input.name}_fp16`, 'float16', input.type.shape);
      for (const node of input.consumers.filter((n) => n.graph === graph)) node.replaceInput(input, half);
      casts.push(makeNode('Cast', [input], [half], `${input.name}_Cast`, [intAttr('to', FLOAT16)]));
    }
    graph.addNodes(casts, { at: 0 });
    for (const output of graph.outputs) {
      if (output.type?.kind !== 'tensor' || output.type.dtype !== 'float32') continue;
      const producer = graph.producerOf(output);
      if (!producer) continue;
      const half = addValue(graph, `${output.name}_fp16`, 'float16', output.type.shape);
      producer.outputs = producer.outputs.map((v) => (v === output ? half : v));
      for (const node of output.consumers.filter((n) => n.graph === graph)) node.replaceInput(output, half);
      graph.addNode(makeNode('Cast', [half], [output], `${output.name}_Cast`, [intAttr('to', FLOAT32)]));
    }
  }
  return converted;
}
