import type { DType } from '../../../ir/dtype';
import type { Graph } from '../../../ir/graph';
import type { Node } from '../../../ir/node';
import type { Tensor } from '../../../ir/tensor';
import type { Value } from '../../../ir/value';
import { tfliteRecord, type TfliteValueRecord } from '../ir-records';
import type { TfliteQuantization } from '../tflite-model';
import type { OnnxEmitter } from './onnx-emitter';
import { CannotConvert } from './unconvertible';

/** Per-tensor facts the converters need about a TFLite value. */
export interface TensorFacts {
  dtype: DType;
  shape: number[];
  /** One scale and zero point per tensor, or per entry along `axis`; never empty. */
  quantization: { scale: NonEmpty<number>; zeroPoint: NonEmpty<number>; axis: number } | null;
  /** The shape with `null` where the file's shape signature leaves a dimension open (−1); absent when none is. */
  open?: (number | null)[];
}

type NonEmpty<T> = [T, ...T[]];

function nonEmpty<T>(list: readonly T[] | undefined): NonEmpty<T> | undefined {
  const [first, ...rest] = list ?? [];
  return first === undefined ? undefined : [first, ...rest];
}

/** Facts about a TFLite IR value: static shape, element type and usable quantization. */
export function tensorFacts(value: Value): TensorFacts {
  const record = tfliteRecord<TfliteValueRecord>(value.extras);
  const type = value.type?.kind === 'tensor' ? value.type : undefined;
  const shape = record?.tensor.shape ?? (type?.shape ?? []).map((d) => (typeof d === 'number' ? d : 1));
  const dtype = type?.dtype ?? 'float32';
  const facts: TensorFacts = { dtype, shape, quantization: usableQuantization(record?.tensor.quantization ?? null, dtype, shape) };
  const signature = record?.tensor.shapeSignature;
  if (signature?.length === shape.length && signature.some((d) => d < 0)) facts.open = signature.map((d, i) => (d < 0 ? null : shape[i]!));
  return facts;
}

function usableQuantization(q: TfliteQuantization | null, dtype: DType, shape: number[]): TensorFacts['quantization'] {
  const scale = nonEmpty(q?.scale ?? undefined);
  if (!q || !scale || !['int8', 'uint8', 'int16', 'int32'].includes(dtype)) return null;
  const zeroPoint = nonEmpty(q.zeroPoint?.map(Number)) ?? [0, ...scale.slice(1).map(() => 0)];
  let axis = q.quantizedDimension;
  if (scale.length > 1 && shape[axis] !== scale.length) {
    // e.g. tflite-micro's 1-D biases quantized "along dimension 3": use the only dimension that fits
    const [only, ...others] = shape.map((d, i) => (d === scale.length ? i : -1)).filter((i) => i >= 0);
    if (only !== undefined && others.length === 0) axis = only;
  }
  return { scale, zeroPoint, axis };
}

/** What an op converter sees: the TFLite node, typed access to its inputs, and where to put outputs. */
export interface OpContext {
  readonly em: OnnxEmitter;
  readonly node: Node;
  /** The TFLite output name, as a readable base for new ONNX values. */
  readonly base: string;
  /** An int attribute (options field) of the TFLite node. */
  attr(name: string, fallback: number): number;
  /** True when input `i` is present (not −1). */
  has(i: number): boolean;
  /** Input `i` as float when it is quantized (DequantizeLinear), else as stored. */
  input(i: number): Value;
  /** Input `i` exactly as stored (e.g. int8 data, int32 shapes). */
  raw(i: number): Value;
  /** The constant data of input `i`, when it is a constant. */
  constant(i: number): Tensor | undefined;
  /** Facts about input `i`. */
  facts(i: number): TensorFacts;
  /** Facts about output `i`. */
  outFacts(i: number): TensorFacts;
  /** Binds output `i` to a float (or non-quantized) ONNX value; quantizes it when the TFLite output is quantized. */
  setOutput(i: number, value: Value): void;
  /** Binds output `i` to an ONNX value that already holds it as TFLite stores it (quantized data as is). */
  setStored(i: number, value: Value): void;
  /**
   * Binds output `i` to a constant folded at conversion time, stored as is: later ops see it as an ordinary constant
   * input, with the output's quantization or, when the file gives it none, `quantization`.
   */
  setConstant(i: number, tensor: Tensor, quantization: TensorFacts['quantization']): void;
  /** TFLite subgraph `index` as an ONNX subgraph named `name`, fed inputs `inputs` of this node (see Converter.branch). */
  branch(index: number, inputs: readonly number[], name: string): Graph;
  /** `value` rounded to the quantization grid of input `i` (quantize, then dequantize); `value` itself when input `i` is float. */
  requantize(i: number, value: Value): Value;
  /** Records the float value the variable tensor at input `i` holds after the op (TFLite state). */
  setState(i: number, value: Value): void;
  /** Records the value the variable tensor at input `i` holds after the op, as TFLite stores it. */
  setStoredState(i: number, value: Value): void;
  /** True when variable (state) tensors are model inputs and outputs; false when each run starts from zero. */
  readonly stateExposed: boolean;
  /** A zero-point constant for quantized `dtype` data: one value (per tensor) or one per channel. */
  zeroPoint(dtype: DType, values: readonly number[]): Value;
  /** Adds a sentence to the conversion's notes (something the user should know about the result). */
  note(text: string): void;
}

/** Ints of a constant int32/int64 tensor. */
export function constantInts(tensor: Tensor | undefined): number[] | undefined {
  if (!tensor) return undefined;
  const data = tensor.toTypedArray();
  return Array.from(data as ArrayLike<number | bigint>, (v) => Number(v));
}

/** Fails the conversion of the current op with a reason. */
export function cannot(reason: string): never {
  throw new CannotConvert(reason);
}

/** A tuple of `N` dimensions. */
export type Dims<N extends number, Acc extends number[] = []> = Acc['length'] extends N ? Acc : Dims<N, [...Acc, number]>;

/** `shape` (or any list) as exactly `rank` entries, to destructure; else the conversion fails with `reason`. */
export function shapeOfRank<N extends number>(shape: readonly number[], rank: N, reason: string): Dims<N> {
  if (shape.length !== rank) cannot(`${reason} (got [${shape.join(', ')}])`);
  return [...shape] as Dims<N>; // the length was checked just above
}
