import type { Graph } from '../ir/graph';

/**
 * Why an int8 step found no operator to quantize, in words: said the same way by every int8 step, and naming the
 * control-flow nodes (If, Loop) whose branches hold operators the step does not reach.
 */
export function nothingQuantizedNote(graph: Graph): string {
  const holders = graph.nodes.filter((node) => node.subgraphs().length > 0);
  if (holders.length === 0) return 'No operator could be quantized to int8.';
  const kinds = [...new Set(holders.map((node) => node.opType))].join(', ');
  return (
    `No operator in the main graph could be quantized to int8; the operators inside the branches of ${holders.length} ` +
    `control-flow node(s) (${kinds}) are not quantized yet.`
  );
}
