import type { Graph } from '../../ir/graph';
import type { Node } from '../../ir/node';
import type { Value } from '../../ir/value';

/** Operators with weights that static and dynamic int8 quantize. */
export const WEIGHT_OPS = new Set(['Conv', 'MatMul', 'Gemm']);

/** Operators onnxruntime runs in int8 when their inputs and output are quantized (QDQ). */
export const ACTIVATION_OPS = new Set([
  'Relu',
  'Clip',
  'LeakyRelu',
  'Sigmoid',
  'HardSigmoid',
  'MaxPool',
  'AveragePool',
  'GlobalAveragePool',
  'Add',
  'Mul',
  'Concat',
  'Reshape',
  'Flatten',
  'Transpose',
  'Squeeze',
  'Unsqueeze',
  'Resize',
]);

/** Operators whose output keeps the input's range exactly, so they share its quantization. */
export const RANGE_PRESERVING_OPS = new Set(['MaxPool', 'Reshape', 'Flatten', 'Transpose', 'Squeeze', 'Unsqueeze', 'Resize']);

/** Activations a following Relu/Clip absorbs (the fused output is quantized instead). */
const FUSABLE_ACTIVATIONS = new Set(['Relu', 'Clip']);

/** Data inputs of a node (shape and axes inputs excluded). */
export function dataInputs(node: Node): readonly (Value | undefined)[] {
  if (['Reshape', 'Squeeze', 'Unsqueeze', 'Resize', 'Clip'].includes(node.opType)) return node.inputs.slice(0, 1);
  if (WEIGHT_OPS.has(node.opType)) return node.opType === 'MatMul' ? node.inputs.slice(0, 2) : node.inputs.slice(0, 1);
  return node.inputs;
}

/** True when `node` is matched by an exclusion entry (node name, output name or operator type). */
export function isExcluded(node: Node, exclude: readonly string[]): boolean {
  return exclude.some((e) => e === node.name || e === node.opType || node.outputs.some((o) => o?.name === e));
}

function isFloat(value: Value): boolean {
  const type = value.type;
  return !type || (type.kind === 'tensor' && type.dtype === 'float32');
}

/**
 * The activation tensors static quantization puts Q/DQ on: float data inputs and outputs of the
 * quantizable nodes, except graph outputs (kept float) and outputs a Relu/Clip directly absorbs.
 */
export function tensorsToQuantize(graph: Graph, exclude: readonly string[]): Value[] {
  const outputs = new Set(graph.outputs);
  const quantizable = (node: Node): boolean =>
    (WEIGHT_OPS.has(node.opType) || ACTIVATION_OPS.has(node.opType)) && !isExcluded(node, exclude);
  // A layer output read only by Relu/Clip is absorbed: the runtime fuses the activation into the layer.
  const absorbed = new Set<Value>();
  for (const node of graph.nodes) {
    const out = node.outputs[0];
    const users = out ? graph.users(out) : [];
    if (out && quantizable(node) && users.length > 0 && users.every((u) => FUSABLE_ACTIVATIONS.has(u.opType) && quantizable(u)))
      absorbed.add(out);
  }
  const chosen = new Set<Value>();
  for (const node of graph.nodes) {
    if (!quantizable(node)) continue;
    for (const input of dataInputs(node)) if (input && !input.initializer && isFloat(input) && !absorbed.has(input)) chosen.add(input);
    const out = node.outputs[0];
    if (out && !outputs.has(out) && isFloat(out) && !absorbed.has(out)) chosen.add(out);
  }
  for (const output of outputs) chosen.delete(output);
  return [...chosen];
}
