import { nodeUses, type Graph } from '../../ir/graph';
import type { Node } from '../../ir/node';
import type { Value } from '../../ir/value';

/** What {@link removeDeadCode} removed. */
export interface DeadCodeStats {
  nodesRemoved: number;
  initializersRemoved: number;
  valueInfoRemoved: number;
}

/**
 * Removes from `graph` (and, recursively, its subgraphs) the nodes whose outputs nothing reads,
 * the initializers nothing reads and value_info entries of values that no longer exist.
 * Graph outputs and values captured by subgraphs count as reads; nodes without outputs are kept.
 */
export function removeDeadCode(graph: Graph): DeadCodeStats {
  const stats: DeadCodeStats = { nodesRemoved: 0, initializersRemoved: 0, valueInfoRemoved: 0 };
  const annotatedBefore = graph.annotated.length;
  const live = new Set<Node>();
  const seen = new Set<Value>();
  const work: Value[] = [...graph.outputs];
  const visit = (n: Node): void => {
    if (live.has(n)) return;
    live.add(n);
    work.push(...nodeUses(n));
  };
  for (const n of graph.nodes) if (n.outputs.every((o) => o === undefined)) visit(n);
  for (let v = work.pop(); v; v = work.pop()) {
    if (seen.has(v)) continue;
    seen.add(v);
    const p = graph.producerOf(v);
    if (p) visit(p);
  }
  stats.nodesRemoved = graph.removeNodes(graph.nodes.filter((n) => !live.has(n)));
  for (const n of graph.nodes) {
    for (const g of n.subgraphs()) {
      const inner = removeDeadCode(g);
      stats.nodesRemoved += inner.nodesRemoved;
      stats.initializersRemoved += inner.initializersRemoved;
      stats.valueInfoRemoved += inner.valueInfoRemoved;
    }
  }
  for (const t of [...graph.initializers]) {
    const v = graph.ownValue(t.name);
    if (v && !seen.has(v) && !graph.inputs.includes(v) && graph.removeValue(v)) stats.initializersRemoved++;
  }
  const present = presentValues(graph);
  graph.annotated = graph.annotated.filter((v) => present.has(v));
  stats.valueInfoRemoved += annotatedBefore - graph.annotated.length;
  return stats;
}

// Values that still exist in `graph`: inputs, outputs, initializers and node inputs/outputs.
function presentValues(graph: Graph): Set<Value> {
  const out = new Set<Value>([...graph.inputs, ...graph.outputs]);
  for (const t of graph.initializers) {
    const v = graph.ownValue(t.name);
    if (v) out.add(v);
  }
  for (const n of graph.nodes) {
    for (const v of n.inputs) if (v) out.add(v);
    for (const v of n.outputs) if (v) out.add(v);
  }
  return out;
}
