// Builds small IR models for pass tests and runs them in onnxruntime.
import ort from 'onnxruntime-node';
import { expect } from 'vitest';
import { encodeOnnx } from '../../../src/engine/formats/onnx';
import type { AttributeValue } from '../../../src/engine/ir/attribute';
import type { DType } from '../../../src/engine/ir/dtype';
import { Graph } from '../../../src/engine/ir/graph';
import { Model } from '../../../src/engine/ir/model';
import { Node } from '../../../src/engine/ir/node';
import type { Dim } from '../../../src/engine/ir/shape';
import { Tensor } from '../../../src/engine/ir/tensor';
import { Value } from '../../../src/engine/ir/value';
import type { Pass, PassResult } from '../../../src/engine/passes/pass';
import { floatTensor, int64Tensor } from '../../../src/engine/passes/util/constants';
import { at, entry } from '../../helpers/at';

/** Deterministic pseudo-random numbers in [-1, 1). */
export function randomFloats(count: number, seed = 1): Float32Array {
  let s = seed >>> 0;
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    out[i] = (((t ^ (t >>> 14)) >>> 0) / 4294967296) * 2 - 1;
  }
  return out;
}

/** A little fluent builder of IR models. */
export class GraphBuilder {
  readonly graph = new Graph('test');
  readonly model = new Model('onnx', this.graph);
  #seed = 100;
  #count = 0;

  constructor(opset = 13) {
    this.model.irVersion = 8;
    this.model.opsets = [{ domain: '', version: opset }];
  }

  input(name: string, shape: Dim[], dtype: DType = 'float32'): Value {
    const v = this.graph.define(new Value(name, { kind: 'tensor', dtype, shape }));
    this.graph.inputs.push(v);
    return v;
  }

  /** A float32 initializer, random unless `values` is given. */
  weight(name: string, dims: number[], values?: ArrayLike<number>): Value {
    const n = dims.reduce((a, b) => a * b, 1);
    return this.initializer(floatTensor(name, dims, values ?? randomFloats(n, this.#seed++)));
  }

  ints(name: string, values: number[], dims = [values.length]): Value {
    return this.initializer(int64Tensor(name, dims, values));
  }

  initializer(t: Tensor): Value {
    const v = this.graph.addInitializer(t);
    v.type = { kind: 'tensor', dtype: t.dtype, shape: [...t.dims] };
    return v;
  }

  /** A Constant node producing `t`. */
  constant(t: Tensor): Value {
    return this.op('Constant', [], { value: { kind: 'tensor', value: t } }, t.name);
  }

  /** Adds a node with one output and returns that output. */
  op(opType: string, inputs: (Value | undefined)[], attributes: Record<string, AttributeValue> = {}, outName?: string): Value {
    return at(this.opN(opType, inputs, 1, attributes, outName ? [outName] : undefined), 0);
  }

  opN(
    opType: string,
    inputs: (Value | undefined)[],
    outputs: number,
    attributes: Record<string, AttributeValue> = {},
    names?: string[],
  ): Value[] {
    const outs = Array.from({ length: outputs }, (_, i) =>
      this.graph.define(new Value(names?.[i] ?? `${opType.toLowerCase()}_${this.#count}_${i}`)),
    );
    this.#count++;
    const attrs = Object.entries(attributes).map(([name, value]) => ({ name, value }));
    this.graph.addNode(new Node(opType, inputs, outs, { name: `${opType}_${this.#count}`, attributes: attrs }));
    return outs;
  }

  output(v: Value, shape?: Dim[], dtype: DType = 'float32'): this {
    if (shape) v.type = { kind: 'tensor', dtype, shape };
    this.graph.outputs.push(v);
    return this;
  }
}

type Outputs = Record<string, { dims: readonly number[]; data: ArrayLike<number | bigint> }>;

/** Random feeds for a model's inputs (symbolic dimensions become `dimSize`). */
export function randomFeeds(model: Model, dimSize = 2, seed = 7): Record<string, ort.Tensor> {
  const feeds: Record<string, ort.Tensor> = {};
  model.graph.inputs.forEach((v, i) => {
    if (v.initializer) return;
    const t = v.type;
    if (t?.kind !== 'tensor' || !t.shape) throw new Error(`input ${v.name} has no shape`);
    const dims = t.shape.map((d) => (typeof d === 'number' ? d : dimSize));
    const n = dims.reduce((a, b) => a * b, 1);
    const data = randomFloats(n, seed + i);
    if (t.dtype === 'float32') feeds[v.name] = new ort.Tensor('float32', data, dims);
    else if (t.dtype === 'bool')
      feeds[v.name] = new ort.Tensor(
        'bool',
        Uint8Array.from(data, (x) => (x > 0 ? 1 : 0)),
        dims,
      );
    else if (t.dtype === 'int64')
      feeds[v.name] = new ort.Tensor(
        'int64',
        BigInt64Array.from(data, (x) => BigInt(Math.round(x * 4))),
        dims,
      );
    else throw new Error(`no random inputs for ${t.dtype}`);
  });
  return feeds;
}

/** Runs ONNX bytes in onnxruntime. */
export async function runOnnx(bytes: Uint8Array, feeds: Record<string, ort.Tensor>): Promise<Outputs> {
  const session = await ort.InferenceSession.create(bytes);
  try {
    const results = await session.run(feeds);
    const out: Outputs = {};
    for (const [name, t] of Object.entries(results)) out[name] = { dims: t.dims, data: t.data as ArrayLike<number> };
    return out;
  } finally {
    await session.release();
  }
}

/** Largest |a−b| / max |a| over all outputs (outputs must have the same names and shapes). */
export function maxRelativeError(a: Outputs, b: Outputs): number {
  expect(Object.keys(b).sort()).toEqual(Object.keys(a).sort());
  let diff = 0;
  let scale = 1e-12;
  for (const [name, x] of Object.entries(a)) {
    const y = entry(b, name, 'outputs');
    expect([...y.dims]).toEqual([...x.dims]);
    for (let i = 0; i < x.data.length; i++) {
      const p = Number(x.data[i]);
      const q = Number(at(y.data, i));
      diff = Math.max(diff, Math.abs(p - q));
      scale = Math.max(scale, Math.abs(p));
    }
  }
  return diff / scale;
}

/**
 * Runs `transform` on `model` and checks onnxruntime gives the same outputs before and after
 * (random inputs). Returns the relative error.
 */
export async function expectSameOutputs(model: Model, transform: () => unknown, tolerance = 1e-5, dimSize = 2): Promise<number> {
  const feeds = randomFeeds(model, dimSize);
  const before = await runOnnx(encodeOnnx(model), feeds);
  await transform();
  const after = await runOnnx(encodeOnnx(model), feeds);
  const err = maxRelativeError(before, after);
  expect(err).toBeLessThanOrEqual(tolerance);
  return err;
}

/** Op types of the main graph's nodes, in order. */
export function opTypes(model: Model): string[] {
  return model.graph.nodes.map((n) => n.opType);
}

/** Runs `pass` on `model` with its options parsed from `options` (defaults filled in). */
export async function runPass<P extends Pass>(pass: P, model: Model, options: Record<string, unknown> = {}): Promise<PassResult> {
  return pass.run(model, pass.options.parse(options), {});
}
