import type { Attribute } from '../../../ir/attribute';
import type { DType } from '../../../ir/dtype';
import { Graph } from '../../../ir/graph';
import { Node } from '../../../ir/node';
import { Tensor } from '../../../ir/tensor';
import { Value } from '../../../ir/value';
import { TFLITE_DOMAIN } from '../op-names';

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
    this.graph.nodes.push(new Node(opType, inputs, [out], { name: out.name, domain: TFLITE_DOMAIN, attributes }));
    return out;
  }
}

/** Permutes the axes of row-major data (any element size) of the given shape. */
export function permuteData(data: Uint8Array, shape: number[], perm: number[], elementSize: number): Uint8Array {
  const rank = shape.length;
  const outShape = perm.map((p) => shape[p]);
  const strides = new Array<number>(rank).fill(1);
  for (let i = rank - 2; i >= 0; i--) strides[i] = strides[i + 1] * shape[i + 1];
  const total = shape.reduce((a, b) => a * b, 1);
  const out = new Uint8Array(total * elementSize);
  const index = new Array<number>(rank).fill(0);
  for (let o = 0; o < total; o++) {
    let src = 0;
    for (let k = 0; k < rank; k++) src += index[k] * strides[perm[k]];
    out.set(data.subarray(src * elementSize, (src + 1) * elementSize), o * elementSize);
    for (let k = rank - 1; k >= 0; k--) {
      if (++index[k] < outShape[k]) break;
      index[k] = 0;
    }
  }
  return out;
}
