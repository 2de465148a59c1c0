import { constantNodeTensor, isConstantNode, sharedTensor } from '../../ir/constant-node';
import type { Graph } from '../../ir/graph';
import type { Model } from '../../ir/model';
import { Tensor } from '../../ir/tensor';
import { tensorFloats } from '../../ir/tensor-floats';
import type { Value } from '../../ir/value';
import type { TensorType } from '../../ir/value-type';

/**
 * The constant data of `value`: an initializer that is not also an input of `graph` (those may be
 * overridden at run time), or the output of a Constant node.
 */
export function constantTensor(graph: Graph, value: Value | undefined): Tensor | undefined {
  if (!value) return undefined;
  if (value.initializer) return graph.inputs.includes(value) ? undefined : value.initializer;
  const p = value.producer;
  return p ? constantNodeTensor(p) : undefined;
}

export { constantNodeTensor, isConstantNode, sharedTensor as shareTensor };

/** A new float32 tensor. */
export function floatTensor(name: string, dims: number[], values: ArrayLike<number>): Tensor {
  const data = Float32Array.from(values);
  return new Tensor(name, 'float32', dims, new Uint8Array(data.buffer));
}

/** A new int64 tensor. */
export function int64Tensor(name: string, dims: number[], values: ArrayLike<number | bigint>): Tensor {
  const data = BigInt64Array.from(Array.from(values, (v) => BigInt(v)));
  return new Tensor(name, 'int64', dims, new Uint8Array(data.buffer));
}

/** The elements of a numeric tensor as numbers (float16 and bfloat16 widened; other packed types: `undefined`). */
export function tensorNumbers(t: Tensor): number[] | undefined {
  switch (t.dtype) {
    case 'float32':
    case 'float64':
    case 'int8':
    case 'int16':
    case 'int32':
    case 'uint8':
    case 'uint16':
    case 'uint32':
    case 'bool':
      return Array.from(t.toTypedArray() as ArrayLike<number>);
    case 'int64':
    case 'uint64':
      return Array.from(t.toTypedArray() as ArrayLike<bigint>, Number);
    case 'float16':
    case 'bfloat16':
      return Array.from(tensorFloats(t) ?? []);
    default:
      return undefined;
  }
}

/** The float32 data of `t`, or `undefined` for any other element type. */
export function float32Data(t: Tensor): Float32Array | undefined {
  return t.dtype === 'float32' ? (t.toTypedArray() as Float32Array) : undefined;
}

/** The value type describing `t`. */
export function tensorType(t: Tensor): TensorType {
  return { kind: 'tensor', dtype: t.dtype, shape: [...t.dims] };
}

/** Adds `t` to `graph` as an initializer of a new value and returns that value. */
export function addConstant(graph: Graph, t: Tensor): Value {
  const v = graph.addInitializer(t);
  v.type = tensorType(t);
  return v;
}

/**
 * Raises an ONNX model's IR version to 4 when it is older: from IR 4 on, initializers need not
 * be listed among the graph inputs, which is how passes add new constants.
 */
export function allowInitializersOutsideInputs(model: Model): void {
  if (model.format === 'onnx' && model.irVersion !== undefined && model.irVersion < 4) model.irVersion = 4;
}
