// Tiny IR models for the training tests, in float32 or float64.
import type { AttributeValue } from '../../../src/engine/ir/attribute';
import type { DType } from '../../../src/engine/ir/dtype';
import { Graph } from '../../../src/engine/ir/graph';
import { Model } from '../../../src/engine/ir/model';
import { Node } from '../../../src/engine/ir/node';
import type { Dim } from '../../../src/engine/ir/shape';
import { Tensor } from '../../../src/engine/ir/tensor';
import { Value } from '../../../src/engine/ir/value';
import { seededRandom } from '../../../src/engine/util/seeded-random';

/** Builds a small model whose float tensors are all of one type. */
export class TinyGraph {
  readonly graph = new Graph('tiny');
  readonly model = new Model('onnx', this.graph);
  readonly float: 'float32' | 'float64';
  readonly #random: () => number;
  #count = 0;

  constructor(float: 'float32' | 'float64' = 'float64', opset = 17, seed = 3) {
    this.float = float;
    this.model.irVersion = 8;
    this.model.opsets = [{ domain: '', version: opset }];
    this.#random = seededRandom(seed);
  }

  input(name: string, shape: Dim[], dtype: DType = this.float): Value {
    const v = this.graph.define(new Value(name, { kind: 'tensor', dtype, shape }));
    this.graph.inputs.push(v);
    return v;
  }

  /** A float initializer, uniform in [lo, hi) unless `values` is given. */
  weight(name: string, dims: number[], values?: ArrayLike<number>, lo = -1, hi = 1): Value {
    const n = dims.reduce((a, b) => a * b, 1);
    const list = values ?? Array.from({ length: n }, () => lo + (hi - lo) * this.#random());
    const data = this.float === 'float64' ? Float64Array.from(list) : Float32Array.from(list);
    return this.initializer(new Tensor(name, this.float, dims, new Uint8Array(data.buffer)));
  }

  ints(name: string, values: number[], dims = [values.length]): Value {
    return this.initializer(new Tensor(name, 'int64', dims, new Uint8Array(BigInt64Array.from(values, (v) => BigInt(v)).buffer)));
  }

  initializer(t: Tensor): Value {
    const v = this.graph.addInitializer(t);
    v.type = { kind: 'tensor', dtype: t.dtype, shape: [...t.dims] };
    return v;
  }

  op(opType: string, inputs: (Value | undefined)[], attributes: Record<string, AttributeValue> = {}): Value {
    return this.ops(opType, inputs, 1, attributes)[0]!;
  }

  ops(opType: string, inputs: (Value | undefined)[], outputs: number, attributes: Record<string, AttributeValue> = {}): Value[] {
    const outs = Array.from({ length: outputs }, (_, i) => this.graph.define(new Value(`${opType.toLowerCase()}_${this.#count}_${i}`)));
    const attrs = Object.entries(attributes).map(([name, value]) => ({ name, value }));
    this.graph.addNode(new Node(opType, inputs, outs, { name: `${opType}_${this.#count++}`, attributes: attrs }));
    return outs;
  }

  output(v: Value): this {
    this.graph.outputs.push(v);
    return this;
  }
}
