import { internalError } from '../errors';
import type { FormatExtras } from './format-extras';
import type { Node } from './node';
import type { Tensor } from './tensor';
import { LINKS } from './use-def';
import { Value } from './value';

/** Where {@link Graph.addNodes} puts new nodes: before or after a node of the graph (default: at the end). */
export type NodePosition = { before: Node } | { after: Node } | { at: number } | undefined;

/**
 * A computation graph: nodes (in stored order), graph inputs and outputs, initializers and the
 * values declared with type information (`annotated`, kept in declaration order so a round trip
 * writes them back the same way). The lists are what writers emit. A subgraph (If/Loop/Scan
 * body) has `parent` set and resolves names it does not define in the enclosing graphs.
 *
 * Nodes are added, removed and replaced with the edit methods ({@link Graph.addNodes},
 * {@link Graph.removeNodes}, {@link Graph.replaceNode}, {@link Graph.replaceAllUses}, or by
 * assigning a whole `nodes` list), which keep every value's producer and consumers current and
 * forget values nothing refers to any more (their name and their value_info entry).
 */
export class Graph {
  name: string;
  docString = '';
  inputs: Value[] = [];
  outputs: Value[] = [];
  initializers: Tensor[] = [];
  /** Values (other than inputs/outputs) that carry a declared type, in declaration order. */
  annotated: Value[] = [];
  parent: Graph | undefined;
  /** Format-specific side record (see {@link FormatExtras}). */
  extras: FormatExtras | undefined;
  #nodes: Node[] = [];
  readonly #values = new Map<string, Value>();

  constructor(name = '', parent?: Graph) {
    this.name = name;
    this.parent = parent;
  }

  /** The nodes in stored order (a read-only view: edit with the methods below or assign a new list). */
  get nodes(): readonly Node[] {
    return this.#nodes;
  }

  set nodes(list: readonly Node[]) {
    const next = new Set(list);
    const dropped = this.#nodes.filter((n) => !next.has(n));
    for (const n of dropped) n[LINKS].detach();
    this.#nodes = [...next];
    for (const n of this.#nodes) this.#adopt(n);
    this.#forgetUnreferenced(dropped);
  }

  /** Adds nodes at `position` (default: the end) and returns them; nodes already here move there. */
  addNodes(nodes: readonly Node[], position?: NodePosition): Node[] {
    const moving = new Set(nodes.filter((n) => n.graph === this));
    if (moving.size > 0) this.#nodes = this.#nodes.filter((n) => !moving.has(n));
    const at = this.#indexFor(position);
    // A new list (not an in-place splice), so loops over the previous `nodes` are not disturbed.
    this.#nodes = [...this.#nodes.slice(0, at), ...nodes, ...this.#nodes.slice(at)];
    for (const n of nodes) this.#adopt(n);
    return [...nodes];
  }

  /** Adds one node at `position` (default: the end) and returns it. */
  addNode(node: Node, position?: NodePosition): Node {
    this.addNodes([node], position);
    return node;
  }

  /** Removes nodes from the graph, keeping the order of the others. */
  removeNodes(nodes: Iterable<Node>): number {
    const gone = new Set(nodes);
    const removed = this.#nodes.filter((n) => gone.has(n));
    if (removed.length === 0) return 0;
    this.#nodes = this.#nodes.filter((n) => !gone.has(n));
    for (const n of removed) n[LINKS].detach();
    this.#forgetUnreferenced(removed);
    return removed.length;
  }

  /** Removes one node; true when it was in the graph. */
  removeNode(node: Node): boolean {
    return this.removeNodes([node]) > 0;
  }

  /** Puts `replacement` where `node` stood and removes `node`. */
  replaceNode(node: Node, replacement: readonly Node[]): void {
    const at = this.#nodes.indexOf(node);
    if (at < 0) internalError(`replaceNode: '${node.name || node.opType}' is not a node of graph '${this.name}'`);
    this.addNodes(replacement, { at });
    this.removeNode(node);
  }

  /**
   * Makes every node of this graph and its subgraphs that reads `from` read `to` instead, and
   * subgraph outputs that are `from` become `to`. This graph's own outputs are left as they are
   * (they name the model's interface). Returns the number of nodes changed.
   */
  replaceAllUses(from: Value, to: Value): number {
    let changed = 0;
    for (const n of from.consumers) {
      if (n.graph && this.#encloses(n.graph)) changed += n.replaceInput(from, to) > 0 ? 1 : 0;
    }
    for (const g of this.#subgraphs()) g.outputs = g.outputs.map((v) => (v === from ? to : v));
    return changed;
  }

  /**
   * Nodes of this graph that read `value`, directly or from inside their subgraphs, each once.
   * (A value read only by a subgraph node shows up as the node holding that subgraph.)
   */
  users(value: Value): Node[] {
    const out = new Set<Node>();
    for (const reader of value.consumers) {
      const top = this.#topLevelNode(reader);
      if (top) out.add(top);
    }
    return [...out];
  }

  /** How many times `value` is read here: by each node of this graph (subgraph reads count once per node) and as a graph output. */
  useCount(value: Value): number {
    return this.users(value).length + this.outputs.filter((o) => o === value).length;
  }

  /** The node of this graph producing `value`, if any. */
  producerOf(value: Value | undefined): Node | undefined {
    const p = value?.producer;
    return p && p.graph === this ? p : undefined;
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

  /** A name no value visible from this graph uses, derived from `base` (`base`, `base_1`, `base_2`, …). */
  freshName(base: string): string {
    if (!this.value(base)) return base;
    for (let i = 1; ; i++) {
      const name = `${base}_${i}`;
      if (!this.value(name)) return name;
    }
  }

  /** Registers `value` in this graph's own scope (replacing any value of the same name). */
  define(value: Value): Value {
    this.#values.set(value.name, value);
    return value;
  }

  /**
   * Removes `value` from this graph: its name (when it names this value), its value_info entry,
   * its initializer and its place among the graph inputs. Nodes still referring to it keep the
   * object (remove or rewire them first). False when the name was not this value's.
   */
  removeValue(value: Value): boolean {
    const named = this.#values.get(value.name) === value;
    if (named) this.#values.delete(value.name);
    this.annotated = this.annotated.filter((v) => v !== value);
    this.inputs = this.inputs.filter((v) => v !== value);
    const init = value.initializer;
    if (init) {
      this.initializers = this.initializers.filter((t) => t !== init);
      value.initializer = undefined;
    }
    return named;
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

  /**
   * Nodes in an order where every node comes after the producers of its inputs (including
   * values used implicitly by its subgraphs). Stable: keeps stored order where possible.
   * Returns the nodes on a cycle instead when the graph has one.
   */
  topologicalOrder(): { order: Node[]; cycle?: undefined } | { order?: undefined; cycle: Node[] } {
    const deps = new Map<Node, Node[]>();
    for (const n of this.#nodes) {
      const list: Node[] = [];
      for (const v of nodeUses(n)) {
        const p = this.producerOf(v);
        if (p === n) return { cycle: [n] };
        if (p) list.push(p);
      }
      deps.set(n, list);
    }
    const state = new Map<Node, 1 | 2>();
    const order: Node[] = [];
    for (const start of this.#nodes) {
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

  // Takes `node` into this graph (out of any other graph first) and defines its outputs here.
  #adopt(node: Node): void {
    if (node.graph === this) return;
    node.graph?.removeNode(node);
    node[LINKS].attach(this);
    for (const o of node.outputs) if (o && !this.#values.has(o.name)) this.#values.set(o.name, o);
  }

  // Forgets values of the removed nodes that nothing refers to any more.
  #forgetUnreferenced(removed: readonly Node[]): void {
    for (const n of removed) {
      for (const v of [...n.inputs, ...n.outputs]) {
        if (v && !v.producer && !v.hasConsumers && !v.initializer && !this.inputs.includes(v) && !this.outputs.includes(v))
          this.removeValue(v);
      }
    }
  }

  #indexFor(position: NodePosition): number {
    if (!position) return this.#nodes.length;
    if ('at' in position) return Math.max(0, Math.min(position.at, this.#nodes.length));
    const anchor = 'before' in position ? position.before : position.after;
    const i = this.#nodes.indexOf(anchor);
    if (i < 0) internalError(`addNodes: '${anchor.name || anchor.opType}' is not a node of graph '${this.name}'`);
    return 'before' in position ? i : i + 1;
  }

  // True when `g` is this graph or nested in it.
  #encloses(g: Graph): boolean {
    for (let at: Graph | undefined = g; at; at = at.parent) if (at === this) return true;
    return false;
  }

  // The node of this graph that holds `node` (itself, or the node whose subgraph contains it).
  #topLevelNode(node: Node): Node | undefined {
    let current: Node | undefined = node;
    while (current?.graph && current.graph !== this) current = ownerNode(current.graph);
    return current?.graph === this ? current : undefined;
  }

  #subgraphs(): Graph[] {
    const out: Graph[] = [];
    for (const n of this.#nodes) for (const g of n.subgraphs()) out.push(g, ...g.#subgraphs());
    return out;
  }
}

// The node of `graph.parent` whose attribute holds `graph`.
function ownerNode(graph: Graph): Node | undefined {
  return graph.parent?.nodes.find((n) => n.subgraphs().includes(graph));
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
