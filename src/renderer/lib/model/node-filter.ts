import type { NodeSummary } from '../../../contract';

/** Nodes whose type is `type` (any when empty) and whose type, name, inputs or outputs contain `query`. */
export function filterNodes(nodes: readonly NodeSummary[], query: string, type: string): NodeSummary[] {
  const needle = query.trim().toLowerCase();
  return nodes.filter((node) => {
    if (type && node.type !== type) return false;
    if (!needle) return true;
    if (node.type.toLowerCase().includes(needle) || node.name.toLowerCase().includes(needle)) return true;
    return [...node.inputs, ...node.outputs].some((value) => value.name.toLowerCase().includes(needle));
  });
}

/** Operator types by how often they occur, most frequent first. */
export function sortedOpCounts(opCounts: Record<string, number>): [string, number][] {
  return Object.entries(opCounts).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}
