import type { NodeProto } from 'onnx-buf';

/**
 * Makes the names of a graph's nodes unique, as onnxruntime requires ("two nodes with same node
 * name"). The first node keeps a name; a later node with the same name gets `name_1`, `name_2`, …
 * (skipping names already taken). Unnamed nodes stay unnamed. Passes that derive a node's name
 * from a shared weight or value can produce such repeats.
 */
export function uniqueNodeNames(nodes: NodeProto[]): void {
  const taken = new Set<string>();
  const repeats: NodeProto[] = [];
  for (const node of nodes) {
    if (!node.name) continue;
    if (taken.has(node.name)) repeats.push(node);
    else taken.add(node.name);
  }
  for (const node of repeats) {
    const base = node.name;
    let i = 1;
    while (taken.has(`${base}_${i}`)) i++;
    node.name = `${base}_${i}`;
    taken.add(node.name);
  }
}
