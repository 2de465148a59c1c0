/**
 * Widens an ONNX model that stores or computes in float16 to float32, so the int8 quantizers,
 * which read float32 weights and calibrate float32 activations, can work on it. Float16 values
 * widen exactly; the computation becomes float32 (at least as precise as before).
 *
 *   x ─ Cast(to f16) ─ Conv(W f16) ─ Cast(to f32) ─ y     →     x ─ Conv(W f32) ─ y
 *   W16 ─ Cast(to f32) ─ MatMul                            →     W32 ─ MatMul
 *
 * Float16 inputs and outputs of the main graph keep their type behind a Cast, so callers feed and
 * read the same tensors as before.
 */
import { dtypeToOnnx } from '../../formats/onnx';
import type { Graph } from '../../ir/graph';
import type { Model } from '../../ir/model';
import type { Node } from '../../ir/node';
import { Tensor } from '../../ir/tensor';
import { tensorFloats } from '../../ir/tensor-floats';
import type { Value } from '../../ir/value';
import { float16Weights } from './float16-convert';
import { addValue, intAttr, makeNode } from './graph-edit';

const FLOAT16 = dtypeToOnnx('float16');
const FLOAT32 = dtypeToOnnx('float32');
// Operators whose integer attribute names the element type they produce.
const DTYPE_ATTRIBUTE: Record<string, string> = {
  Cast: 'to',
  EyeLike: 'dtype',
  RandomNormal: 'dtype',
  RandomUniform: 'dtype',
  RandomNormalLike: 'dtype',
  RandomUniformLike: 'dtype',
};

function widened(t: Tensor): Tensor {
  const floats = tensorFloats(t) ?? new Float32Array(t.elementCount);
  const out = new Tensor(t.name, 'float32', [...t.dims], new Uint8Array(floats.buffer, floats.byteOffset, floats.byteLength));
  out.docString = t.docString;
  return out;
}

const isHalf = (v: Value | undefined): boolean => v?.type?.kind === 'tensor' && v.type.dtype === 'float16';

/** True when the model holds float16 weights or computes in float16 (Casts to float16). */
export function usesFloat16(model: Model): boolean {
  const visit = (graph: Graph): boolean =>
    graph.initializers.some((t) => t.dtype === 'float16') ||
    graph.nodes.some(
      (n) => (n.opType === 'Cast' && n.int('to', 0) === FLOAT16) || n.tensor('value')?.dtype === 'float16' || n.subgraphs().some(visit),
    );
  return visit(model.graph);
}

function retypeValue(v: Value): void {
  if (v.type?.kind === 'tensor' && v.type.dtype === 'float16') v.type = { ...v.type, dtype: 'float32' };
}

function widenNode(node: Node): void {
  const attribute = DTYPE_ATTRIBUTE[node.opType];
  node.attributes = node.attributes.map((a) => {
    if (a.name === attribute && a.value.kind === 'int' && a.value.value === BigInt(FLOAT16)) return intAttr(a.name, FLOAT32);
    if (a.value.kind === 'tensor' && a.value.value.dtype === 'float16')
      return { ...a, value: { kind: 'tensor', value: widened(a.value.value) } };
    return a;
  });
}

/** Keeps a float16 main-graph input or output as it is, with a Cast between it and the widened graph. */
function keepBoundary(graph: Graph): void {
  for (const input of graph.inputs.filter((v) => isHalf(v) && !v.initializer)) {
    const wide = addValue(graph, `${input.name}_float32`, 'float32');
    for (const reader of input.consumers) reader.replaceInput(input, wide);
    graph.addNode(makeNode('Cast', [input], [wide], `${input.name}_to_float32`, [intAttr('to', FLOAT32)]), { at: 0 });
  }
  for (const output of graph.outputs.filter((v) => isHalf(v))) {
    const producer = output.producer;
    if (!producer) continue;
    const wide = addValue(graph, `${output.name}_float32`, 'float32');
    producer.replaceOutput(output, wide);
    graph.addNode(makeNode('Cast', [wide], [output], `${output.name}_to_float16`, [intAttr('to', FLOAT16)]));
  }
}

/** Removes Casts to float32 of values that are float32 now. */
function dropIdleCasts(graph: Graph): number {
  let dropped = 0;
  for (const node of [...graph.nodes]) {
    const [input] = node.inputs;
    const output = node.outputs[0];
    if (node.opType !== 'Cast' || node.int('to', 0) !== FLOAT32 || !input || !output || graph.outputs.includes(output)) continue;
    const type = input.type?.kind === 'tensor' ? input.type.dtype : input.initializer?.dtype;
    if (type !== 'float32') continue;
    for (const reader of output.consumers) reader.replaceInput(output, input);
    graph.removeNode(node);
    dropped++;
  }
  return dropped;
}

function widenGraph(graph: Graph, main: boolean, widenedValues: Set<Value>): void {
  for (const t of [...graph.initializers]) {
    if (t.dtype !== 'float16') continue;
    const value = graph.ownValue(t.name);
    const wide = widened(t);
    graph.initializers = graph.initializers.map((x) => (x === t ? wide : x));
    if (value) {
      value.initializer = wide;
      retypeValue(value);
      widenedValues.add(value);
    }
  }
  for (const node of graph.nodes) {
    widenNode(node);
    for (const sub of node.subgraphs()) widenGraph(sub, false, widenedValues);
  }
  for (const v of graph.ownValues()) if (!main || !(graph.inputs.includes(v) || graph.outputs.includes(v))) retypeValue(v);
  // after widening, so the Casts that keep a float16 interface stay float16
  if (main) keepBoundary(graph);
  dropIdleCasts(graph);
}

/** Widens every float16 weight, value and Cast of `model` to float32 (see the module comment); returns the weights widened. */
export function widenFloat16(model: Model): Set<Value> {
  const widenedValues = new Set<Value>();
  widenGraph(model.graph, true, widenedValues);
  return widenedValues;
}

/** A float16 model widened for quantization: the report's note, and how to store the weights left in float as float16 again. */
export interface Widening {
  note: string;
  /** Stores the widened weights that are still float32 (not quantized) as float16 behind a Cast; returns how many. */
  restore(): number;
}

/** Widens a float16 model before integer quantization, or returns undefined when it has no float16. */
export function widenBeforeQuantizing(model: Model): Widening | undefined {
  if (!usesFloat16(model)) return undefined;
  const widenedValues = widenFloat16(model);
  return {
    note:
      `The model stores or computes in float16; it was widened to float32 first (${widenedValues.size} weight tensor(s)), ` +
      'since the integer layers are made from float32 weights and ranges. Weights left in float are stored in float16 again.',
    restore: () => float16Weights(model, 1, (v) => widenedValues.has(v)),
  };
}
