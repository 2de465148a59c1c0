import { LitheError } from '../../errors';
import type { Graph } from '../../ir/graph';
import type { Model } from '../../ir/model';

/** Checks structural soundness the codec relies on: every graph (and subgraph) is acyclic. */
export function validateModel(model: Model, file: string | undefined): void {
  validateGraph(model.graph, file, 'main graph');
  for (const f of model.functions) validateGraph(f.body, file, `function '${f.name}'`);
}

function validateGraph(graph: Graph, file: string | undefined, where: string): void {
  const result = graph.topologicalOrder();
  if (result.cycle) {
    const names = result.cycle.map((n) => `'${n.name || n.outputs.find((o) => o)?.name || '?'}' (${n.opType})`);
    throw new LitheError(
      'corrupt-model',
      `the ${where}${graph.name ? ` '${graph.name}'` : ''} has a cycle through nodes ${names.join(' → ')}`,
      { file },
    );
  }
  for (const n of graph.nodes) for (const g of n.subgraphs()) validateGraph(g, file, `subgraph of node '${n.name || n.opType}'`);
}
