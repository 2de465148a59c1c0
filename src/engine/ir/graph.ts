import type { FormatExtras } from './format-extras';
import type { Node } from './node';
import type { Tensor } from './tensor';
import { Value } from './value';

/**
 * A computation graph: nodes (in stored order), graph inputs and outputs, initializers and the
 * values declared with type information (`annotated`, kept in declaration order so a round trip
 * writes them back the same way). The lists are what writers emit: removing a node or an
 * initializer means removing it from `nodes` / `initializers`. A subgraph (If/Loop/Scan body) has `parent` set and resolves
 * names it does not define in the enclosing graphs.
 */
export class Graph {
  name: string;
  docString = '';
  nodes: Node[] = [];
  inputs: Value[] = [];
  outputs: Value[] = [];
  initializers: Tensor[] = [];
  /** Values (other than inputs/outputs) that carry a declared type, in declaration order. */
  annotated: Value[] = [];
  parent: Graph | undefined;
  /** Format-specific side record (see {@link FormatExtras}). */
  extras: FormatExtras | undefined;
  readonly #values = new Map<string, Value>();

  constructor(name = '', parent?: Graph) {
    this.name = name;
    this.parent = parent;
  }

  /** Looks a value up by name in this graph, then in the enclosing graphs. */
  value(name: string): Value | undefined {
    return this.#values.get(name) ?? this.parent?.value(name);
  }

  /** The value named `name` defined in this graph's own scope. */
  ownValue(name: string): Value | undefined {
    return this.#values.get(name);
  }

  /** Returns the value called `name` (resolving outer scopes), creating it here if unknown. */
  valueOrCreate(name: string): Value {
    const found = this.value(name);
    if (found) return found;
    const v = new Value(name);
    this.#values.set(name, v);
    return v;
  }

  /** Registers `value` in this graph's own scope (replacing any value of the same name). */
  define(value: Value): Value {
    this.#values.set(value.name, value);
    return value;
  }

  /**
   * Renames a value of this graph's scope (keeps the name lookup consistent; nodes refer to the
   * Value object, so they follow automatically). An initializer is written under its value's name.
   */
  rename(value: Value, name: string): void {
    if (this.#values.get(value.name) === value) this.#values.delete(value.name);
    value.name = name;
    if (value.initializer) value.initializer.name = name;
    this.#values.set(name, value);
  }

  /** Every value defined in this graph's own scope. */
  ownValues(): IterableIterator<Value> {
    return this.#values.values();
  }

  /** Adds an initializer and links it to its value (created if needed). */
  addInitializer(tensor: Tensor): Value {
    this.initializers.push(tensor);
    const v = this.#values.get(tensor.name) ?? this.define(new Value(tensor.name));
    v.initializer = tensor;
    return v;
  }

  /** Map from each node output to the node producing it. */
  producers(): Map<Value, Node> {
    const map = new Map<Value, Node>();
    for (const n of this.nodes) for (const o of n.outputs) if (o) map.set(o, n);
    return map;
  }

  /** Map from each value to the nodes of this graph consuming it (subgraph uses not included). */
  consumers(): Map<Value, Node[]> {
    const map = new Map<Value, Node[]>();
    for (const n of this.nodes) {
      for (const i of n.inputs) {
        if (!i) continue;
        const list = map.get(i);
        if (list) list.push(n);
        else map.set(i, [n]);
      }
    }
    return map;
  }

  /**
   * Nodes in an order where every node comes after the producers of its inputs (including
   * values used implicitly by its subgraphs). Stable: keeps stored order where possible.
   * Returns the nodes on a cycle instead when the graph has one.
   */
  topologicalOrder(): { order: Node[]; cycle?: undefined } | { order?: undefined; cycle: Node[] } {
    const producers = this.producers();
    const deps = new Map<Node, Node[]>();
    for (const n of this.nodes) {
      const list: Node[] = [];
      for (const v of nodeUses(n)) {
        const p = producers.get(v);
        if (p && p !== n) list.push(p);
        else if (p === n) return { cycle: [n] };
      }
      deps.set(n, list);
    }
    const state = new Map<Node, 1 | 2>();
    const order: Node[] = [];
    for (const start of this.nodes) {
      if (state.has(start)) continue;
      const stack: { node: Node; next: number }[] = [{ node: start, next: 0 }];
      state.set(start, 1);
      for (let top = stack.at(-1); top; top = stack.at(-1)) {
        const d = deps.get(top.node)?.[top.next];
        if (d) {
          top.next++;
          const s = state.get(d);
          if (s === 1) {
            const at = stack.findIndex((f) => f.node === d);
            return { cycle: stack.slice(at).map((f) => f.node) };
          }
          if (s === undefined) {
            state.set(d, 1);
            stack.push({ node: d, next: 0 });
          }
        } else {
          state.set(top.node, 2);
          order.push(top.node);
          stack.pop();
        }
      }
    }
    return { order };
  }
}

/** Values a node reads: its inputs plus outer values used inside its subgraphs. */
export function nodeUses(node: Node): Value[] {
  const out: Value[] = [];
  for (const i of node.inputs) if (i) out.push(i);
  for (const g of node.subgraphs()) collectOuterUses(g, out);
  return out;
}

function collectOuterUses(graph: Graph, out: Value[]): void {
  for (const n of graph.nodes) {
    for (const i of n.inputs) if (i && graph.ownValue(i.name) !== i) out.push(i);
    for (const g of n.subgraphs()) {
      const inner: Value[] = [];
      collectOuterUses(g, inner);
      for (const v of inner) if (graph.ownValue(v.name) !== v) out.push(v);
    }
  }
  for (const o of graph.outputs) if (graph.ownValue(o.name) !== o) out.push(o);
}
