import { nodeUses, type Graph } from '../../ir/graph';
import type { Model } from '../../ir/model';
import type { Node } from '../../ir/node';
import { Value } from '../../ir/value';
import type { ValueType } from '../../ir/value-type';

/** `graph` followed by every subgraph nested in its nodes (depth first). */
export function graphAndSubgraphs(graph: Graph): Graph[] {
  const out: Graph[] = [graph];
  for (const n of graph.nodes) for (const g of n.subgraphs()) out.push(...graphAndSubgraphs(g));
  return out;
}

/** The main graph of `model` and all its subgraphs. */
export function modelGraphs(model: Model): Graph[] {
  return graphAndSubgraphs(model.graph);
}

/** Values read in `graph`: node inputs, outer values captured by subgraphs, and graph outputs. */
export function usedValues(graph: Graph): Set<Value> {
  const used = new Set<Value>(graph.outputs);
  for (const n of graph.nodes) for (const v of nodeUses(n)) used.add(v);
  return used;
}

/** Number of nodes reading each value in `graph` (subgraph captures count), plus one per graph output. */
export function useCounts(graph: Graph): Map<Value, number> {
  const counts = new Map<Value, number>();
  const add = (v: Value): void => {
    counts.set(v, (counts.get(v) ?? 0) + 1);
  };
  for (const n of graph.nodes) for (const v of new Set(nodeUses(n))) add(v);
  for (const v of graph.outputs) add(v);
  return counts;
}

/** Replaces every read of `from` by `to` in `graph`'s nodes and in its subgraphs (inputs and subgraph outputs). */
export function replaceUses(graph: Graph, from: Value, to: Value): void {
  for (const n of graph.nodes) {
    n.inputs = n.inputs.map((v) => (v === from ? to : v));
    for (const g of n.subgraphs()) {
      g.outputs = g.outputs.map((v) => (v === from ? to : v));
      replaceUses(g, from, to);
    }
  }
}

/** Removes `nodes` from `graph`, keeping the order of the others. */
export function removeNodes(graph: Graph, nodes: Set<Node>): void {
  if (nodes.size > 0) graph.nodes = graph.nodes.filter((n) => !nodes.has(n));
}

/** Inserts `node` right before `before` (at the end when `before` is not in the graph). */
export function insertBefore(graph: Graph, before: Node, node: Node): void {
  const at = graph.nodes.indexOf(before);
  if (at < 0) graph.nodes.push(node);
  else graph.nodes.splice(at, 0, node);
}

/** A name not used by any value visible from `graph`, derived from `base`. */
export function freshName(graph: Graph, base: string): string {
  if (!graph.value(base)) return base;
  for (let i = 1; ; i++) {
    const name = `${base}_${i}`;
    if (!graph.value(name)) return name;
  }
}

/** Defines a new value in `graph` with a fresh name derived from `base`. */
export function newValue(graph: Graph, base: string, type?: ValueType): Value {
  return graph.define(new Value(freshName(graph, base), type));
}
