import type { Graph } from '../../../ir/graph';
import type { Node } from '../../../ir/node';
import type { Value } from '../../../ir/value';

function perm(node: Node): number[] | undefined {
  const data = node.inputs[1]?.initializer;
  return data ? Array.from(data.toTypedArray() as Int32Array) : undefined;
}

/**
 * Removes TRANSPOSE pairs that undo each other (NHWC → NCHW → NHWC), rewiring consumers to the
 * first transpose's input, then drops transposes nothing uses any more.
 */
export function cancelTransposePairs(graph: Graph): void {
  const replace = new Map<Value, Value>();
  for (const node of graph.nodes) {
    if (node.opType !== 'TRANSPOSE') continue;
    const [input] = node.inputs;
    const [output] = node.outputs;
    const before = graph.producerOf(input);
    const source = before?.inputs[0];
    if (before?.opType !== 'TRANSPOSE' || !source || !output || graph.outputs.includes(output)) continue;
    const p1 = perm(before);
    const p2 = perm(node);
    if (!p1 || !p2 || p1.length !== p2.length || !p2.every((p, i) => p1[p] === i)) continue;
    replace.set(output, source);
  }
  if (!replace.size) return;
  for (const node of graph.nodes) node.inputs = node.inputs.map((v) => (v && replace.has(v) ? replace.get(v) : v));
  let changed: boolean;
  do {
    const used = new Set<Value>([...graph.outputs]);
    for (const n of graph.nodes) for (const v of n.inputs) if (v) used.add(v);
    const kept = graph.nodes.filter((n) => n.opType !== 'TRANSPOSE' || n.outputs.some((o) => o && used.has(o)));
    changed = kept.length !== graph.nodes.length;
    graph.nodes = kept;
  } while (changed);
}
