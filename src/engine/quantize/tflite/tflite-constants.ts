import { TFLITE_DOMAIN } from '../../formats/tflite/op-names';
import type { DType } from '../../ir/dtype';
import type { Graph } from '../../ir/graph';
import type { Node } from '../../ir/node';
import type { ValueQuantization } from '../../ir/quantization';
import { tensorFloats } from '../../ir/tensor-floats';
import type { Value } from '../../ir/value';
import { addConstant } from '../onnx/graph-edit';

/** True for a TFLite builtin operator node (of type `op`, when given). */
export function isTfliteOp(node: Node | undefined, op?: string): node is Node {
  return node?.domain === TFLITE_DOMAIN && (op === undefined || node.opType === op);
}

/** The real values of a constant input: a float initializer, or what a DEQUANTIZE of a constant expands. */
export interface FloatConstant {
  data: Float32Array;
  dims: number[];
  /** The DEQUANTIZE node that expands it (float16 or int8 weights), when there is one. */
  expandedBy?: Node;
}

/**
 * The real values of `value` when it is constant: a float32/float16 initializer, or the output
 * of a DEQUANTIZE whose input is a stored constant (float16 weights, as MediaPipe models keep
 * them, or integers with their quantization). `undefined` for values computed at run time.
 */
export function floatConstant(graph: Graph, value: Value | undefined): FloatConstant | undefined {
  if (!value) return undefined;
  const t = value.initializer;
  if (t) {
    if (graph.inputs.includes(value)) return undefined;
    const data = tensorFloats(t);
    return data && { data, dims: [...t.dims] };
  }
  const p = value.producer;
  const source = isTfliteOp(p, 'DEQUANTIZE') ? p.inputs[0] : undefined;
  const stored = source?.initializer;
  if (!p || !source || !stored) return undefined;
  const data = tensorFloats(stored, source.quantization);
  return data && { data, dims: [...stored.dims], expandedBy: p };
}

/** Adds a constant tensor to `graph` under a fresh name from `base`, typed, with its quantization. */
export function addTfliteConstant(
  graph: Graph,
  base: string,
  dtype: DType,
  dims: number[],
  data: ArrayBufferView,
  quantization?: ValueQuantization,
): Value {
  const v = addConstant(graph, base, dtype, dims, data);
  v.type = { kind: 'tensor', dtype, shape: [...dims] };
  v.quantization = quantization;
  return v;
}

/**
 * Gives each replacement the name of the value it replaced, once that value is gone from the graph
 * (so a quantized weight keeps the name the file gave the float one).
 */
export function keepNames(graph: Graph, replaced: ReadonlyMap<Value, Value>): void {
  for (const [before, after] of replaced) {
    if (graph.ownValue(before.name) === before || graph.value(before.name)) continue;
    graph.rename(after, before.name);
  }
}
