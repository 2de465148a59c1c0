import { graphAndSubgraphs } from '../../passes/util/graph-walk';
import type { Attribute } from '../../ir/attribute';
import type { DType } from '../../ir/dtype';
import type { Graph } from '../../ir/graph';
import type { Model } from '../../ir/model';
import type { Dim } from '../../ir/shape';
import { Node } from '../../ir/node';
import { Tensor } from '../../ir/tensor';
import { Value } from '../../ir/value';

/** Adds a constant initializer with `data` and returns its value. */
export function addConstant(graph: Graph, base: string, dtype: DType, dims: number[], data: ArrayBufferView): Value {
  const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength).slice();
  return graph.addInitializer(new Tensor(graph.freshName(base), dtype, dims, bytes));
}

/** A fresh intermediate value of a known tensor type. */
export function addValue(graph: Graph, base: string, dtype: DType, shape?: Dim[]): Value {
  return graph.define(new Value(graph.freshName(base), { kind: 'tensor', dtype, ...(shape ? { shape } : {}) }));
}

/** An `int` attribute. */
export function intAttr(name: string, value: number): Attribute {
  return { name, value: { kind: 'int', value: BigInt(value) } };
}

/** Creates a node (not yet placed in the graph). */
export function makeNode(
  opType: string,
  inputs: (Value | undefined)[],
  outputs: Value[],
  name: string,
  attributes: Attribute[] = [],
  domain = '',
): Node {
  return new Node(opType, inputs, outputs, { name, attributes, domain });
}

/** Makes sure the model imports `domain` at least at `version`. */
export function requireOpset(model: Model, domain: string, version: number): void {
  const found = model.opsets.find((o) => (o.domain === 'ai.onnx' ? '' : o.domain) === domain);
  if (!found) model.opsets.push({ domain, version });
  else if (found.version < version) found.version = version;
}

/** Replaces uses of `from` by `to` in the given nodes. */
export function rewire(nodes: readonly Node[], from: Value, to: Value): void {
  for (const node of nodes) node.replaceInput(from, to);
}

/** Removes initializers no node or output uses any more, in `graph` and in every subgraph (If/Loop bodies hold their own). */
export function dropUnusedInitializers(graph: Graph): number {
  let dropped = 0;
  for (const g of graphAndSubgraphs(graph)) dropped += dropUnusedIn(g);
  return dropped;
}

function dropUnusedIn(graph: Graph): number {
  const used = new Set<Value>();
  for (const g of graphAndSubgraphs(graph)) for (const node of g.nodes) for (const input of node.inputs) if (input) used.add(input);
  for (const output of graph.outputs) used.add(output);
  const before = graph.initializers.length;
  graph.initializers = graph.initializers.filter((t) => {
    const value = graph.ownValue(t.name);
    const keep = !value || used.has(value);
    if (!keep && value) {
      value.initializer = undefined;
      graph.inputs = graph.inputs.filter((v) => v !== value);
    }
    return keep;
  });
  return before - graph.initializers.length;
}

/** The float32 data of an initializer value, or undefined. */
export function floatData(value: Value | undefined): Float32Array | undefined {
  const t = value?.initializer;
  if (!t || t.dtype !== 'float32') return undefined;
  return Float32Array.from(t.toTypedArray() as Float32Array);
}
