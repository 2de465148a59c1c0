import type { TracedTensor } from '../bench/profile-trace';
import { constantNodeTensor } from '../ir/constant-node';
import type { Graph } from '../ir/graph';
import type { Node } from '../ir/node';
import type { Value } from '../ir/value';
import { elementBytes, isFloat16 } from './op-cost';

const QUANTIZE = new Set(['QuantizeLinear', 'DynamicQuantizeLinear']);
/** Activations that runtimes fuse into the operator before them (TFLite's fused activation functions). */
const FUSED_ACTIVATIONS = new Set(['Relu', 'Clip', 'Tanh', 'RELU', 'RELU6', 'RELU_N1_TO_1', 'TANH']);
/** Operators that only relabel the shape: runtimes hand the same buffer on. */
const SHAPE_ONLY = new Set(['Reshape', 'Flatten', 'Squeeze', 'Unsqueeze', 'Identity', 'RESHAPE', 'SQUEEZE', 'EXPAND_DIMS']);
const DEQUANTIZE = 'DequantizeLinear';

/** Values a graph computes from its weights alone: initializers, Constant outputs and what only they feed. */
export function weightDerivedValues(graph: Graph, order: readonly Node[]): Set<Value> {
  const constant = new Set<Value>();
  for (const tensor of graph.initializers) {
    const value = graph.ownValue(tensor.name);
    if (value) constant.add(value);
  }
  for (const node of order) {
    const inputs = node.inputs.filter((value): value is Value => value !== undefined);
    const fromWeights = constantNodeTensor(node) !== undefined || (inputs.length > 0 && inputs.every((value) => constant.has(value)));
    if (!fromWeights || node.subgraphs().length > 0) continue;
    for (const output of node.outputs) if (output) constant.add(output);
  }
  return constant;
}

/**
 * Groups the values that share one buffer once a runtime with integer kernels (TFLite, TFLite
 * Micro, ONNX Runtime's QDQ fusions) has fused the graph: a DequantizeLinear of an activation and
 * its input (the consumer reads the integers in place); a float value read only by QuantizeLinear
 * and its quantized form (written straight in it); a value read only by an activation function
 * (Relu, Clip, Tanh: fused into its producer) or a reshaping operator, and that operator's output.
 * Graph outputs keep their own buffer.
 */
function sharedBuffers(graph: Graph, steps: readonly Node[], weights: ReadonlySet<Value>): Map<Value, Value> {
  const parent = new Map<Value, Value>();
  const root = (value: Value): Value => {
    let current = value;
    for (let up = parent.get(current); up && up !== current; up = parent.get(current)) current = up;
    parent.set(value, current);
    return current;
  };
  const join = (x: Value, y: Value): void => {
    const [rx, ry] = [root(x), root(y)];
    if (rx !== ry) parent.set(rx, ry);
  };
  const outputs = new Set(graph.outputs);
  for (const node of steps) {
    const [input] = node.inputs;
    const [output] = node.outputs;
    if (!input || !output || weights.has(input) || outputs.has(output)) continue;
    const readers = graph.users(input);
    const only = readers.length === 1 && node.inputs.indexOf(input) === 0;
    if (node.opType === DEQUANTIZE) join(output, input);
    else if (QUANTIZE.has(node.opType) && !outputs.has(input) && readers.every((reader) => QUANTIZE.has(reader.opType)))
      join(input, output);
    else if (only && !outputs.has(input) && (FUSED_ACTIVATIONS.has(node.opType) || SHAPE_ONLY.has(node.opType))) join(input, output);
  }
  const buffers = new Map<Value, Value>();
  for (const value of parent.keys()) buffers.set(value, root(value));
  return buffers;
}

/**
 * A value's tensor as its file (or shape inference) declares it: open dimensions as `dims` names
 * them, else 1 (as are dimensions stored as -1); undefined when its shape is unknown.
 */
export function declaredTensor(value: Value, dims: Readonly<Record<string, number>> = {}): TracedTensor | undefined {
  const type = value.type;
  if (type?.kind !== 'tensor' || !type.shape) return undefined;
  return {
    dtype: type.dtype,
    shape: type.shape.map((dim) => (typeof dim === 'number' ? (dim > 0 ? dim : 1) : typeof dim === 'string' ? (dims[dim] ?? 1) : 1)),
  };
}

/** `shapeOf` with float16/bfloat16 tensors as float32: the tensors of a runtime that widens them. */
export function widenedTensors(shapeOf: (value: Value) => TracedTensor | undefined): (value: Value) => TracedTensor | undefined {
  return (value) => {
    const tensor = shapeOf(value);
    return tensor && isFloat16(tensor.dtype) ? { ...tensor, dtype: 'float32' } : tensor;
  };
}

/** Bytes of a graph's weights stored as float16/bfloat16 (initializers and Constant nodes). */
export function float16WeightBytes(graph: Graph): number {
  let bytes = 0;
  for (const tensor of graph.initializers) if (isFloat16(tensor.dtype)) bytes += tensor.byteLength;
  for (const node of graph.nodes) {
    const tensor = constantNodeTensor(node);
    if (tensor && isFloat16(tensor.dtype)) bytes += tensor.byteLength;
  }
  return bytes;
}

/** Peak activation memory of a graph as deployed: weights (and values computed only from them) excluded. */
export interface DeployedMemory {
  /** Largest sum of activation bytes live at once over the node order, bytes. */
  peakActivationBytes: number;
  /** Activation values whose size is unknown (counted as 0). */
  unsized: number;
}

/**
 * Peak memory of the activations of a graph as a runtime with a static arena holds them (TFLite
 * Micro's tensor arena, TFLite's planner): a value is live from the node that writes it to the
 * last node that reads it (graph inputs from the start, graph outputs to the end), and the peak is
 * the largest total live at one node. Values computed from weights alone are weights (runtimes fold
 * them), not activations, and values that share a buffer once fused ({@link sharedBuffers}) count
 * once, in their stored (quantized) type. `shapeOf` gives each value's runtime shape and type.
 */
export function deployedActivationMemory(graph: Graph, shapeOf: (value: Value) => TracedTensor | undefined): DeployedMemory {
  const sorted = graph.topologicalOrder();
  const order = sorted.order ?? [...graph.nodes];
  const weights = weightDerivedValues(graph, order);
  const steps = order.filter((node) => !node.outputs.every((value) => !value || weights.has(value)));
  const last = steps.length;
  const buffers = sharedBuffers(graph, steps, weights);
  /** Live interval and size of each buffer (the smallest of the values sharing it: the quantized one). */
  const held = new Map<Value, { from: number; to: number; bytes: number | undefined }>();
  const unsized = new Set<Value>();
  const touch = (value: Value, step: number): void => {
    if (weights.has(value)) return;
    const buffer = buffers.get(value) ?? value;
    const known = held.get(buffer);
    const tensor = shapeOf(value);
    if (!tensor) unsized.add(value);
    const bytes = tensor
      ? Math.ceil(tensor.shape.reduce((product, dim) => product * Math.max(dim, 0), 1) * elementBytes(tensor.dtype))
      : undefined;
    const smaller = bytes === undefined ? known?.bytes : Math.min(bytes, known?.bytes ?? bytes);
    held.set(buffer, { from: Math.min(step, known?.from ?? step), to: Math.max(step, known?.to ?? step), bytes: smaller });
  };
  for (const input of graph.inputs) touch(input, -1);
  steps.forEach((node, step) => {
    for (const value of node.inputs) if (value) touch(value, step);
    for (const value of node.outputs) if (value) touch(value, step);
  });
  for (const output of graph.outputs) touch(output, last);
  const delta = new Array<number>(last + 3).fill(0);
  for (const { from, to, bytes = 0 } of held.values()) {
    delta[from + 1] = (delta[from + 1] ?? 0) + bytes;
    delta[to + 2] = (delta[to + 2] ?? 0) - bytes;
  }
  let live = 0;
  let peakActivationBytes = 0;
  for (const change of delta) {
    live += change;
    peakActivationBytes = Math.max(peakActivationBytes, live);
  }
  return { peakActivationBytes, unsized: unsized.size };
}
