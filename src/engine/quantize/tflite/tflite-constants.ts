import { densify } from '../../formats/tflite/convert/densify';
import { tfliteRecord, type TfliteValueRecord } from '../../formats/tflite/ir-records';
import { TFLITE_DOMAIN } from '../../formats/tflite/op-names';
import { dtypeBits, type DType } from '../../ir/dtype';
import type { Graph } from '../../ir/graph';
import type { Node } from '../../ir/node';
import type { ValueQuantization } from '../../ir/quantization';
import { Tensor } from '../../ir/tensor';
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
  /** True when the file stores it sparse (expanded by DENSIFY): a quantized copy is best stored sparse too. */
  sparse?: boolean;
}

/** The dense form of a constant `value`: an initializer, or the output of a DENSIFY of a sparse one. */
function storedConstant(graph: Graph, value: Value): { tensor: Tensor; quantization?: ValueQuantization; sparse: boolean } | undefined {
  const t = value.initializer;
  if (t) return graph.inputs.includes(value) ? undefined : { tensor: t, quantization: value.quantization, sparse: false };
  const p = value.producer;
  const source = isTfliteOp(p, 'DENSIFY') ? p.inputs[0] : undefined;
  const sparse = source?.initializer;
  const sparsity = tfliteRecord<TfliteValueRecord>(source?.extras)?.tensor.sparsity;
  if (!source || !sparse || !sparsity || graph.inputs.includes(source)) return undefined;
  const bits = dtypeBits(sparse.dtype);
  if (bits < 8) return undefined;
  let dense: Uint8Array;
  try {
    dense = densify(sparse.bytes(), bits / 8, [...sparse.dims], sparsity);
  } catch {
    return undefined; // metadata this reader does not follow: left as the file has it
  }
  return { tensor: new Tensor(sparse.name, sparse.dtype, [...sparse.dims], dense), quantization: source.quantization, sparse: true };
}

/**
 * The real values of `value` when it is constant: a float32/float16 initializer, or the output
 * of a DEQUANTIZE whose input is a stored constant (float16 weights, as MediaPipe models keep
 * them, or integers with their quantization). A constant stored sparse and expanded by DENSIFY
 * counts as stored. `undefined` for values computed at run time.
 */
export function floatConstant(graph: Graph, value: Value | undefined): FloatConstant | undefined {
  if (!value) return undefined;
  const direct = storedConstant(graph, value);
  if (direct) {
    const data = tensorFloats(direct.tensor);
    return data && { data, dims: [...direct.tensor.dims], sparse: direct.sparse };
  }
  const p = value.producer;
  const source = isTfliteOp(p, 'DEQUANTIZE') ? p.inputs[0] : undefined;
  const stored = source && storedConstant(graph, source);
  if (!p || !stored) return undefined;
  const data = tensorFloats(stored.tensor, stored.quantization);
  return data && { data, dims: [...stored.tensor.dims], expandedBy: p, sparse: stored.sparse };
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
