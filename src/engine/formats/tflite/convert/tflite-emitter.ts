import type { Attribute } from '../../../ir/attribute';
import type { DType } from '../../../ir/dtype';
import { Graph } from '../../../ir/graph';
import { Node } from '../../../ir/node';
import { Tensor } from '../../../ir/tensor';
import { Value } from '../../../ir/value';
import { dtypeToTflite } from '../dtype-map';
import { tfliteExtras, type TfliteValueRecord } from '../ir-records';
import { TFLITE_DOMAIN } from '../op-names';
import { cannot } from './op-context';

/** Options of a TFLite op by schema field name (snake_case): numbers, lists of ints, or booleans. */
export type TfliteOptions = Record<string, number | boolean | readonly number[]>;

function toAttributes(options: TfliteOptions): Attribute[] {
  return Object.entries(options).map(([name, v]): Attribute => {
    if (typeof v === 'boolean') return { name, value: { kind: 'int', value: v ? 1n : 0n } };
    if (typeof v === 'number')
      return Number.isInteger(v) ? { name, value: { kind: 'int', value: BigInt(v) } } : { name, value: { kind: 'float', value: v } };
    return { name, value: { kind: 'ints', value: v.map((x) => BigInt(x)) } };
  });
}

/** Ops whose first version in TFLite's op table is above 1 (the version written with the op). */
const FIRST_VERSION: Readonly<Record<string, number>> = { BROADCAST_TO: 2 };

/** Builds a graph of TFLite operators (domain `tflite`) with static shapes, for {@link tfliteFromIr}. */
export class TfliteEmitter {
  readonly graph = new Graph('main');
  private readonly used = new Set<string>();
  private readonly int32Cache = new Map<string, Value>();
  private counter = 0;

  unique(base: string): string {
    let name = base || 'tensor';
    while (this.used.has(name)) name = `${base || 'tensor'}_${++this.counter}`;
    this.used.add(name);
    return name;
  }

  value(base: string, shape: readonly number[], dtype: DType = 'float32'): Value {
    return this.graph.define(new Value(this.unique(base), { kind: 'tensor', dtype, shape: [...shape] }));
  }

  /**
   * A TFLite variable tensor (recurrent state): it starts at zero and keeps its value from one run
   * of the model to the next, as TFLite's sequence ops expect.
   */
  variable(base: string, shape: readonly number[], dtype: DType = 'float32'): Value {
    const v = this.value(base, shape, dtype);
    const record: TfliteValueRecord = {
      index: Number.MAX_SAFE_INTEGER,
      importedName: v.name,
      orphan: false,
      tensor: {
        name: v.name,
        shape: [...shape],
        shapeSignature: null,
        type: dtypeToTflite(dtype) ?? cannot(`a ${dtype} state tensor has no TFLite type`),
        buffer: 0,
        quantization: null,
        sparsity: null,
        isVariable: true,
        hasRank: true,
        variantTensors: null,
      },
    };
    v.extras = tfliteExtras(record);
    return v;
  }

  constant(base: string, dtype: DType, dims: readonly number[], bytes: Uint8Array): Value {
    const name = this.unique(base);
    const value = this.graph.addInitializer(new Tensor(name, dtype, [...dims], bytes));
    value.type = { kind: 'tensor', dtype, shape: [...dims] };
    return value;
  }

  /** An int32 constant (shared between uses with the same values). */
  int32(values: readonly number[], dims: readonly number[] = [values.length]): Value {
    const key = `${dims.join('x')}:${values.join(',')}`;
    const cached = this.int32Cache.get(key);
    if (cached) return cached;
    const wide = values.find((x) => !Number.isInteger(x) || x < -(2 ** 31) || x > 2 ** 31 - 1);
    if (wide !== undefined) cannot(`it needs the constant ${wide}, which does not fit TFLite's 32-bit integers`);
    const v = this.constant('const_i32', 'int32', dims, new Uint8Array(new Int32Array(values).buffer));
    this.int32Cache.set(key, v);
    return v;
  }

  float32(base: string, values: ArrayLike<number>, dims: readonly number[]): Value {
    const data = Float32Array.from(values);
    return this.constant(base, 'float32', dims, new Uint8Array(data.buffer));
  }

  /** Emits a TFLite op with one output; options are given by schema field name (snake_case). */
  op(opType: string, inputs: readonly (Value | undefined)[], out: Value, options: TfliteOptions = {}): Value {
    this.opN(opType, inputs, [out], options);
    return out;
  }

  /** Emits a TFLite op with several outputs. */
  opN(opType: string, inputs: readonly (Value | undefined)[], outs: readonly Value[], options: TfliteOptions = {}): Value[] {
    const name = outs[0]?.name ?? this.unique(opType.toLowerCase());
    const version = FIRST_VERSION[opType];
    const attributes = toAttributes(version ? { ...options, version } : options);
    this.graph.addNode(new Node(opType, [...inputs], [...outs], { name, domain: TFLITE_DOMAIN, attributes }));
    return [...outs];
  }
}

/** `items` (say, a shape) reordered so entry `k` is `items[perm[k]]`; the conversion fails when `perm` is not a permutation of them. */
export function permuted<T>(items: readonly T[], perm: readonly number[]): T[] {
  const wrong = (): never => cannot(`[${perm.join(', ')}] is not a permutation of ${items.length} axes`);
  if (perm.length !== items.length || new Set(perm).size !== perm.length) wrong();
  return perm.map((p) => items[p] ?? wrong());
}

/** Permutes the axes of row-major data (any element size) of the given shape. */
export function permuteData(data: Uint8Array, shape: readonly number[], perm: readonly number[], elementSize: number): Uint8Array {
  // Output axis k walks input axis perm[k]: its size and its stride in the input.
  const axes = permuted(
    shape.map((size, i) => ({ size, stride: shape.slice(i + 1).reduce((a, b) => a * b, 1), at: 0 })),
    perm,
  );
  const fastestFirst = axes.toReversed();
  const total = shape.reduce((a, b) => a * b, 1);
  const out = new Uint8Array(total * elementSize);
  for (let o = 0; o < total; o++) {
    let src = 0;
    for (const axis of axes) src += axis.at * axis.stride;
    out.set(data.subarray(src * elementSize, (src + 1) * elementSize), o * elementSize);
    for (const axis of fastestFirst) {
      if (++axis.at < axis.size) break;
      axis.at = 0;
    }
  }
  return out;
}
