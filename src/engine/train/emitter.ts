import type { AttributeValue } from '../ir/attribute';
import type { DType } from '../ir/dtype';
import type { Graph } from '../ir/graph';
import { Node } from '../ir/node';
import type { Dim } from '../ir/shape';
import { Tensor } from '../ir/tensor';
import { Value } from '../ir/value';
import { intAttr } from '../passes/util/attributes';
import { freshName } from '../passes/util/graph-walk';

/** Attributes given as plain data: numbers are ints unless wrapped (use the `attr` helpers for floats). */
export type Attributes = Record<string, AttributeValue>;

/**
 * Writes new nodes into a training graph: standard ONNX operators only, at the graph's operator
 * set (≥ 17), with constants in the graph's float type. Every rule and loss emits through this, so
 * opset differences (axes as attributes or inputs) live in one place.
 */
export class Emitter {
  readonly graph: Graph;
  readonly opset: number;
  /** Element type of the values being trained (float32, or float64 in gradient checks). */
  readonly float: 'float32' | 'float64';
  readonly #shapes = new Map<Value, Value>();
  readonly #constants = new Map<string, Value>();
  #count = 0;

  constructor(graph: Graph, opset: number, float: 'float32' | 'float64') {
    this.graph = graph;
    this.opset = opset;
    this.float = float;
  }

  /** Adds a node with `outputs` new outputs named after `base`; returns them. */
  nodes(opType: string, inputs: (Value | undefined)[], attributes: Attributes = {}, outputs = 1, base = opType): Value[] {
    const outs = Array.from({ length: outputs }, () => this.value(base));
    const given = [...inputs];
    while (given.length > 0 && given[given.length - 1] === undefined) given.pop();
    const attrs = Object.entries(attributes).map(([name, value]) => ({ name, value }));
    this.graph.addNode(new Node(opType, given, outs, { name: freshName(this.graph, `train/${base}_${this.#count++}`), attributes: attrs }));
    return outs;
  }

  /** Adds a node with one output and returns it. */
  op(opType: string, inputs: (Value | undefined)[], attributes: Attributes = {}, base = opType): Value {
    return this.nodes(opType, inputs, attributes, 1, base)[0]!;
  }

  /** A fresh value of this graph. */
  value(base: string): Value {
    return this.graph.define(new Value(freshName(this.graph, `train/${base}`)));
  }

  /** A float constant (scalar when `dims` is empty), in the graph's float type. */
  floats(values: number | readonly number[], dims?: number[]): Value {
    const list = typeof values === 'number' ? [values] : values;
    const shape = dims ?? (typeof values === 'number' ? [] : [list.length]);
    const data = this.float === 'float64' ? Float64Array.from(list) : Float32Array.from(list);
    return this.constant(this.float, shape, new Uint8Array(data.buffer));
  }

  /** A float32 constant whatever the graph's float type (operator attributes given as inputs, e.g. Resize scales). */
  float32s(values: readonly number[]): Value {
    return this.constant('float32', [values.length], new Uint8Array(Float32Array.from(values).buffer));
  }

  /** An int64 constant (a 1-D list unless `dims` says otherwise). */
  ints(values: readonly number[], dims: number[] = [values.length]): Value {
    const data = BigInt64Array.from(values, (v) => BigInt(v));
    return this.constant('int64', dims, new Uint8Array(data.buffer));
  }

  /** A boolean scalar constant. */
  bool(value: boolean): Value {
    return this.constant('bool', [], new Uint8Array([value ? 1 : 0]));
  }

  private constant(dtype: DType, dims: number[], bytes: Uint8Array): Value {
    const key = `${dtype}[${dims.join(',')}]${bytes.length <= 64 ? Array.from(bytes).join(',') : `#${this.#count++}`}`;
    const known = this.#constants.get(key);
    if (known) return known;
    const v = this.graph.addInitializer(new Tensor(freshName(this.graph, 'train/const'), dtype, dims, bytes));
    v.type = { kind: 'tensor', dtype, shape: [...dims] };
    this.#constants.set(key, v);
    return v;
  }

  /** The static shape of a value when its type records one (dims may still be symbolic). */
  dims(v: Value): Dim[] | undefined {
    if (v.initializer) return [...v.initializer.dims];
    return v.type?.kind === 'tensor' ? v.type.shape : undefined;
  }

  /** The shape as numbers when every dimension is known. */
  staticDims(v: Value): number[] | undefined {
    const d = this.dims(v);
    return d && d.every((x): x is number => typeof x === 'number') ? d : undefined;
  }

  /** `Shape(v)`, emitted once per value. */
  shape(v: Value): Value {
    let s = this.#shapes.get(v);
    if (!s) {
      s = this.op('Shape', [v]);
      this.#shapes.set(v, s);
    }
    return s;
  }

  /** A shape input for `like`: a constant when its shape is static, else `Shape(like)`. */
  shapeOf(like: Value): Value {
    const d = this.staticDims(like);
    return d ? this.ints(d) : this.shape(like);
  }

  /** Reshapes `x` to the shape of `like`. */
  reshapeLike(x: Value, like: Value): Value {
    return this.op('Reshape', [x, this.shapeOf(like)]);
  }

  /** Sum over `axes` (ReduceSum takes axes as an input from opset 13). */
  reduceSum(x: Value, axes: readonly number[], keepdims: boolean): Value {
    return this.op('ReduceSum', [x, this.ints(axes)], { keepdims: intAttr(keepdims ? 1 : 0) });
  }

  /** Mean over `axes` (axes an attribute before opset 18, an input from 18). */
  reduceMean(x: Value, axes: readonly number[], keepdims: boolean): Value {
    return this.reduceWithAxes('ReduceMean', x, axes, keepdims);
  }

  /** Maximum over `axes` (axes an attribute before opset 18, an input from 18). */
  reduceMax(x: Value, axes: readonly number[], keepdims: boolean): Value {
    return this.reduceWithAxes('ReduceMax', x, axes, keepdims);
  }

  private reduceWithAxes(opType: string, x: Value, axes: readonly number[], keepdims: boolean): Value {
    const keep = { keepdims: intAttr(keepdims ? 1 : 0) };
    if (this.opset >= 18) return this.op(opType, [x, this.ints(axes)], keep);
    return this.op(opType, [x], { ...keep, axes: { kind: 'ints', value: axes.map((a) => BigInt(a)) } });
  }

  /** Inserts size-1 axes. */
  unsqueeze(x: Value, axes: readonly number[]): Value {
    return this.op('Unsqueeze', [x, this.ints(axes)]);
  }

  /** Removes size-1 axes. */
  squeeze(x: Value, axes: readonly number[]): Value {
    return this.op('Squeeze', [x, this.ints(axes)]);
  }

  /** Transposes with `perm`. */
  transpose(x: Value, perm: readonly number[]): Value {
    return this.op('Transpose', [x], { perm: { kind: 'ints', value: perm.map((p) => BigInt(p)) } });
  }

  add(a: Value, b: Value): Value {
    return this.op('Add', [a, b]);
  }

  sub(a: Value, b: Value): Value {
    return this.op('Sub', [a, b]);
  }

  mul(a: Value, b: Value): Value {
    return this.op('Mul', [a, b]);
  }

  div(a: Value, b: Value): Value {
    return this.op('Div', [a, b]);
  }

  neg(a: Value): Value {
    return this.op('Neg', [a]);
  }

  /** A float tensor of zeros shaped like `like`. */
  zerosLike(like: Value): Value {
    return this.op('ConstantOfShape', [this.shapeOf(like)], { value: { kind: 'tensor', value: this.zeroTensor() } });
  }

  /** The one-element zero tensor ConstantOfShape fills with. */
  zeroTensor(value = 0): Tensor {
    const data = this.float === 'float64' ? new Float64Array([value]) : new Float32Array([value]);
    return new Tensor('value', this.float, [1], new Uint8Array(data.buffer));
  }
}
