import type { Attribute } from '../../../ir/attribute';
import type { DType } from '../../../ir/dtype';
import { Graph } from '../../../ir/graph';
import { Node } from '../../../ir/node';
import { Tensor } from '../../../ir/tensor';
import { Value } from '../../../ir/value';
import { CannotConvert } from './unconvertible';

/** An attribute value as converters write it: numbers become ints or floats, arrays likewise. */
export type AttrInput = number | number[] | string | { floats: number[] } | { float: number } | { strings: string[] } | { graph: Graph };

/**
 * `values` as int64s. An op translation reads its numbers from the file (options, shapes, constant
 * tensors); a corrupt file can leave one missing or not whole, and that is refused in words.
 */
function int64s(what: string, values: readonly (number | undefined)[]): bigint[] {
  return values.map((v) => {
    if (typeof v !== 'number' || !Number.isSafeInteger(v))
      throw new CannotConvert(`${what} needs a whole number, and the file gives ${String(v)}`);
    return BigInt(v);
  });
}

function toAttribute(name: string, value: AttrInput): Attribute {
  if (typeof value === 'string') return { name, value: { kind: 'string', value: new TextEncoder().encode(value) } };
  if (typeof value === 'number')
    return Number.isInteger(value) ? { name, value: { kind: 'int', value: BigInt(value) } } : { name, value: { kind: 'float', value } };
  if (Array.isArray(value)) return { name, value: { kind: 'ints', value: int64s(`attribute ${name}`, value) } };
  if ('floats' in value) return { name, value: { kind: 'floats', value: value.floats } };
  if ('graph' in value) return { name, value: { kind: 'graph', value: value.graph } };
  if ('strings' in value) return { name, value: { kind: 'strings', value: value.strings.map((s) => new TextEncoder().encode(s)) } };
  return { name, value: { kind: 'float', value: value.float } };
}

/** Builds an ONNX-domain IR graph: unique names, constants as initializers, nodes in emission order. */
export class OnnxEmitter {
  readonly graph: Graph;
  private readonly used: Set<string>;
  private readonly reserved: Set<string>;
  private readonly int64Cache = new Map<string, Value>();
  private counter = 0;

  /** `parent`: this emitter builds a subgraph (e.g. an If branch) of its graph, with names unique across both. */
  constructor(name = 'main', parent?: OnnxEmitter) {
    this.graph = new Graph(name, parent?.graph);
    this.used = parent?.used ?? new Set();
    this.reserved = parent?.reserved ?? new Set();
  }

  /** Keeps `names` for {@link claim}: generated names never take them. */
  reserve(names: Iterable<string>): void {
    for (const n of names) this.reserved.add(n);
  }

  /** A name not used yet in this graph, based on `base`. */
  unique(base: string): string {
    let name = base || 'value';
    while (this.used.has(name) || this.reserved.has(name)) name = `${base || 'value'}__${++this.counter}`;
    this.used.add(name);
    return name;
  }

  /** `name` itself when it is reserved and not taken yet, else a unique variant. */
  claim(name: string): string {
    if (this.reserved.has(name) && !this.used.has(name)) {
      this.used.add(name);
      return name;
    }
    return this.unique(name);
  }

  /** Defines a value with a unique name (`exact`: the reserved name itself when still free). */
  value(base: string, dtype?: DType, shape?: number[], exact = false): Value {
    const v = this.graph.define(new Value(exact ? this.claim(base) : this.unique(base)));
    if (dtype) v.type = { kind: 'tensor', dtype, shape };
    return v;
  }

  /** Adds a constant and returns its value. */
  constant(base: string, dtype: DType, dims: number[], bytes: Uint8Array): Value {
    const name = this.unique(base);
    const value = this.graph.addInitializer(new Tensor(name, dtype, dims, bytes));
    value.type = { kind: 'tensor', dtype, shape: dims };
    return value;
  }

  /** An int64 constant (shared between uses). */
  int64(values: readonly number[], dims: number[] = [values.length]): Value {
    const key = `${dims.join('x')}:${values.join(',')}`;
    const cached = this.int64Cache.get(key);
    if (cached) return cached;
    const v = this.constant('const_i64', 'int64', dims, new Uint8Array(BigInt64Array.from(int64s('a constant', values)).buffer));
    this.int64Cache.set(key, v);
    return v;
  }

  /** A float32 constant. */
  float32(values: readonly number[], dims: number[] = [values.length]): Value {
    return this.constant('const_f32', 'float32', dims, new Uint8Array(new Float32Array(values).buffer));
  }

  /** An int32 constant (values checked to fit 32 bits). */
  int32(values: readonly number[], dims: number[] = [values.length]): Value {
    const wide = values.find((v) => !Number.isInteger(v) || v < -(2 ** 31) || v >= 2 ** 31);
    if (wide !== undefined) throw new CannotConvert(`the constant ${wide} does not fit 32-bit integers`);
    return this.constant('const_i32', 'int32', dims, new Uint8Array(new Int32Array(values).buffer));
  }

  /** Emits a node; `outputs` are values or names for fresh values. Returns the output values, one per entry of `outputs`. */
  node<const O extends readonly (Value | string)[]>(
    opType: string,
    inputs: (Value | undefined)[],
    outputs: O,
    attrs: Record<string, AttrInput> = {},
    name?: string,
  ): { -readonly [K in keyof O]: Value } {
    // outputs given as names are generated names; pass a Value from `value(name, …, true)` for an exact one
    const outs = outputs.map((o) => this.output(o));
    const attributes = Object.entries(attrs).map(([k, v]) => toAttribute(k, v));
    // trailing omitted inputs are dropped; inner ones stay as empty positions
    const ins = [...inputs];
    while (ins.length && ins[ins.length - 1] === undefined) ins.pop();
    this.graph.addNode(new Node(opType, ins, outs, { name: this.unique(name ?? `${opType}_${this.graph.nodes.length}`), attributes }));
    // `map` keeps the length, so there is one value per requested output
    return outs as { -readonly [K in keyof O]: Value };
  }

  /** Emits a single-output node and returns that output. */
  op(opType: string, inputs: (Value | undefined)[], attrs: Record<string, AttrInput> = {}, out?: Value | string): Value {
    const [value] = this.node(opType, inputs, [this.output(out ?? opType.toLowerCase())], attrs);
    return value;
  }

  private output(o: Value | string): Value {
    return typeof o === 'string' ? this.value(o) : o;
  }
}
