// ONNX If nodes in a graph TFLite can run without subgraphs:
//   If(cond = constant) { then } else { else }   → the taken branch's nodes, in place of the If
//   If(cond) { then } else { else }              → both branches' nodes, and Where(cond, then_i, else_i) per output
// Both branches are computed in the second form; that is only equivalent when they give results of
// the same shape (checked once shapes are known: see `mismatchedSelects`).
import type { Graph } from '../../../../ir/graph';
import { Node } from '../../../../ir/node';
import type { Value } from '../../../../ir/value';
import { constantNumbers } from './narrow';

/** An If turned into Where nodes: each pair must have the same shape for the rewrite to hold. */
export interface LoweredIf {
  node: string;
  pairs: Array<[Value, Value]>;
}

function branch(node: Node, name: string): Graph | undefined {
  const a = node.attribute(name);
  return a?.value.kind === 'graph' ? a.value.value : undefined;
}

/** Moves the nodes and constants of `body` into `graph` (renaming values whose names are taken); returns the body's outputs. */
function hoist(graph: Graph, body: Graph, prefix: string, into: Node[]): Value[] {
  const taken = (name: string): boolean => graph.value(name) !== undefined;
  const rename = (v: Value): void => {
    if (!taken(v.name) || graph.value(v.name) === v) {
      graph.define(v);
      return;
    }
    let name = `${prefix}/${v.name}`;
    for (let i = 1; taken(name); i++) name = `${prefix}/${v.name}_${i}`;
    body.rename(v, name);
    graph.define(v);
  };
  for (const t of body.initializers) {
    const v = body.ownValue(t.name);
    if (!v) continue;
    rename(v);
    graph.addInitializer(t);
  }
  for (const n of body.nodes) {
    for (const o of n.outputs) if (o && body.ownValue(o.name) === o) rename(o);
    for (const g of n.subgraphs()) g.parent = graph;
    into.push(n);
  }
  return [...body.outputs];
}

/**
 * Replaces every top-level If whose condition is a constant by its taken branch, and — with
 * `select` — every other If by both branches and a Where per output. Returns the lowered Ifs of
 * the second kind, and how many Ifs were replaced.
 */
export function inlineIfs(graph: Graph, select: boolean): { replaced: number; lowered: LoweredIf[] } {
  const lowered: LoweredIf[] = [];
  let replaced = 0;
  const nodes: Node[] = [];
  for (const node of graph.nodes) {
    const thenBranch = branch(node, 'then_branch');
    const elseBranch = branch(node, 'else_branch');
    const cond = node.inputs[0];
    const isIf = node.opType === 'If' && (node.domain === '' || node.domain === 'ai.onnx') && thenBranch && elseBranch && cond;
    if (!isIf) {
      nodes.push(node);
      continue;
    }
    const name = node.name || node.outputs[0]?.name || 'if';
    const known = cond.initializer ? constantNumbers(cond.initializer) : undefined;
    if (known && known.length === 1) {
      const outs = hoist(graph, known[0] ? thenBranch : elseBranch, name, nodes);
      node.outputs.forEach((o, i) => {
        const from = outs[i];
        if (o && from) nodes.push(new Node('Identity', [from], [o], { name: `${name}/out${i}` }));
      });
      replaced++;
      continue;
    }
    if (!select) {
      nodes.push(node);
      continue;
    }
    const thenOuts = hoist(graph, thenBranch, `${name}/then`, nodes);
    const elseOuts = hoist(graph, elseBranch, `${name}/else`, nodes);
    const pairs: Array<[Value, Value]> = [];
    node.outputs.forEach((o, i) => {
      const a = thenOuts[i];
      const b = elseOuts[i];
      if (!o || !a || !b) return;
      pairs.push([a, b]);
      nodes.push(new Node('Where', [cond, a, b], [o], { name: `${name}/select${i}` }));
    });
    lowered.push({ node: name, pairs });
    replaced++;
  }
  if (replaced) graph.nodes = nodes;
  return { replaced, lowered };
}

/** Lowered Ifs whose two branches gave results of different shapes (the Where rewrite does not hold for them). */
export function mismatchedSelects(lowered: readonly LoweredIf[]): string[] {
  const shape = (v: Value): string => (v.type?.kind === 'tensor' && v.type.shape ? v.type.shape.join('x') : '?');
  return lowered.filter((l) => l.pairs.some(([a, b]) => shape(a) === '?' || shape(a) !== shape(b))).map((l) => l.node);
}
