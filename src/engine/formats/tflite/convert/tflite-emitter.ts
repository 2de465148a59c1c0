import type { Attribute } from '../../../ir/attribute';
import type { DType } from '../../../ir/dtype';
import { Graph } from '../../../ir/graph';
import { Node } from '../../../ir/node';
import { Tensor } from '../../../ir/tensor';
import { Value } from '../../../ir/value';
import { TFLITE_DOMAIN } from '../op-names';
import { cannot } from './op-context';

/** Builds a graph of TFLite operators (domain `tflite`) with static shapes, for {@link tfliteFromIr}. */
export class TfliteEmitter {
  readonly graph = new Graph('main');
  private readonly used = new Set<string>();
  private counter = 0;

  unique(base: string): string {
    let name = base || 'tensor';
    while (this.used.has(name)) name = `${base || 'tensor'}_${++this.counter}`;
    this.used.add(name);
    return name;
  }

  value(base: string, shape: number[], dtype: DType = 'float32'): Value {
    return this.graph.define(new Value(this.unique(base), { kind: 'tensor', dtype, shape }));
  }

  constant(base: string, dtype: DType, dims: number[], bytes: Uint8Array): Value {
    const name = this.unique(base);
    const value = this.graph.addInitializer(new Tensor(name, dtype, dims, bytes));
    value.type = { kind: 'tensor', dtype, shape: dims };
    return value;
  }

  int32(values: readonly number[], dims: number[] = [values.length]): Value {
    return this.constant('const_i32', 'int32', dims, new Uint8Array(new Int32Array(values).buffer));
  }

  float32(base: string, values: Float32Array, dims: number[]): Value {
    return this.constant(base, 'float32', dims, new Uint8Array(values.buffer, values.byteOffset, values.byteLength).slice());
  }

  /** Emits a TFLite op; options are given by schema field name (snake_case). */
  op(opType: string, inputs: (Value | undefined)[], out: Value, options: Record<string, number | number[]> = {}): Value {
    const attributes: Attribute[] = Object.entries(options).map(([name, v]) =>
      Array.isArray(v)
        ? { name, value: { kind: 'ints', value: v.map((x) => BigInt(x)) } }
        : Number.isInteger(v)
          ? { name, value: { kind: 'int', value: BigInt(v) } }
          : { name, value: { kind: 'float', value: v } },
    );
    this.graph.addNode(new Node(opType, inputs, [out], { name: out.name, domain: TFLITE_DOMAIN, attributes }));
    return out;
  }
}

/** `items` (say, a shape) reordered so entry `k` is `items[perm[k]]`; the conversion fails when `perm` is not a permutation of them. */
export function permuted<T>(items: readonly T[], perm: readonly number[]): T[] {
  const wrong = (): never => cannot(`[${perm.join(', ')}] is not a permutation of ${items.length} axes`);
  if (perm.length !== items.length || new Set(perm).size !== perm.length) wrong();
  return perm.map((p) => items[p] ?? wrong());
}

/** Permutes the axes of row-major data (any element size) of the given shape. */
export function permuteData(data: Uint8Array, shape: number[], perm: number[], elementSize: number): Uint8Array {
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
