import { z } from 'zod';
import type { Graph } from '../ir/graph';
import { inferShapes } from '../ir/shape-inference';
import type { Node } from '../ir/node';
import type { Value } from '../ir/value';
import { definePass } from './pass';
import { modelGraphs, removeNodes, replaceUses, useCounts } from './util/graph-walk';
import { passThroughInput, type NoOpContext } from './util/no-op';

// Makes `input` take the place of `output` (a graph output): the producer's value is renamed to
// the output's name so the model's interface keeps its names. False when that is not possible.
function promoteToOutput(graph: Graph, input: Value, output: Value, producers: Map<Value, Node>): boolean {
  const ownProduced = producers.has(input) && graph.ownValue(input.name) === input;
  if (!ownProduced || graph.outputs.includes(input) || graph.inputs.includes(input) || input.initializer) return false;
  input.name = output.name;
  if (output.type) input.type = output.type;
  if (output.docString) input.docString = output.docString;
  graph.define(input);
  graph.outputs = graph.outputs.map((v) => (v === output ? input : v));
  return true;
}

function removeInGraph(graph: Graph): number {
  const producers = graph.producers();
  const c: NoOpContext = { graph, producers, counts: useCounts(graph) };
  const removed = new Set<Node>();
  for (const node of graph.nodes) {
    const out = node.outputs[0];
    const input = passThroughInput(c, node);
    if (!out || !input || input === out) continue;
    if (graph.outputs.includes(out) && !promoteToOutput(graph, input, out, producers)) continue;
    replaceUses(graph, out, input);
    graph.annotated = graph.annotated.filter((v) => v !== out && !(v === input && graph.outputs.includes(input)));
    removed.add(node);
  }
  removeNodes(graph, removed);
  return removed.size;
}

/** Removes operations that pass their input through unchanged. */
export const removeIdentity = definePass({
  name: 'remove-identity',
  title: 'Remove no-op operations',
  description:
    'Removes operations that hand their input on unchanged: Identity, Dropout (which does nothing when the model is used), ' +
    'reshapes and casts to what the data already is, padding by zero, adding zero or multiplying by one. ' +
    'Fewer steps to run, same results.',
  options: z.object({}),
  fixedPoint: true,
  run(model) {
    inferShapes(model);
    let nodesRemoved = 0;
    for (const g of modelGraphs(model)) nodesRemoved += removeInGraph(g);
    return { changed: nodesRemoved > 0, stats: { nodesRemoved } };
  },
});
