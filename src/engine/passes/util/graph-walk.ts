import type { Graph } from '../../ir/graph';
import type { Model } from '../../ir/model';
import { Value } from '../../ir/value';
import type { ValueType } from '../../ir/value-type';

/** `graph` followed by every subgraph nested in its nodes (depth first, outer graphs first). */
export function graphAndSubgraphs(graph: Graph): Graph[] {
  const out: Graph[] = [graph];
  for (const n of graph.nodes) for (const g of n.subgraphs()) out.push(...graphAndSubgraphs(g));
  return out;
}

/**
 * Every graph of `model` a pass visits: the main graph, the bodies of its control-flow nodes
 * (If/Loop/Scan, nested) and the graphs operators call by index (TFLite IF/WHILE bodies), outer
 * graphs before the graphs they hold. Passes walk this list so none forgets a subgraph.
 */
export function modelGraphs(model: Model): Graph[] {
  return rootGraphs(model).flatMap(graphAndSubgraphs);
}

/** The graphs of `model` that no node holds: the main graph and the graphs operators call by index. */
export function rootGraphs(model: Model): Graph[] {
  return [model.graph, ...model.calledGraphs];
}

/** A name not used by any value visible from `graph`, derived from `base`. */
export function freshName(graph: Graph, base: string): string {
  return graph.freshName(base);
}

/** Defines a new value in `graph` with a fresh name derived from `base`. */
export function newValue(graph: Graph, base: string, type?: ValueType): Value {
  return graph.define(new Value(graph.freshName(base), type));
}
