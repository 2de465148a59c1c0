/**
 * remove-identity: operations that hand their input on unchanged are removed.
 *
 *   x ─ Identity ─ y ─ f      →      x ─ f
 *   (also inference Dropout, Reshape/Cast to what x already is, Transpose by the identity
 *   permutation, Pad by zeros, Add/Sub of 0, Mul/Div by 1 of the same shape and type)
 *
 * When y is a model output, x's producer writes it under y's name, so the interface keeps its names.
 */
import { z } from 'zod';
import type { Graph } from '../ir/graph';
import { inferShapes } from '../ir/shape-inference';
import type { Node } from '../ir/node';
import type { Value } from '../ir/value';
import { definePass } from './pass';
import { modelGraphs } from './util/graph-walk';
import { passThroughInput } from './util/no-op';
import { Skips } from './util/skips';

// Makes `input` take the place of `output` (a graph output): the producer's value is renamed to
// the output's name so the model's interface keeps its names. False when that is not possible.
function promoteToOutput(graph: Graph, input: Value, output: Value): boolean {
  const ownProduced = graph.producerOf(input) !== undefined && graph.ownValue(input.name) === input;
  if (!ownProduced || graph.outputs.includes(input) || graph.inputs.includes(input) || input.initializer) return false;
  graph.rename(input, output.name);
  if (output.type) input.type = output.type;
  if (output.docString) input.docString = output.docString;
  graph.outputs = graph.outputs.map((v) => (v === output ? input : v));
  // A model output is declared as an output, not among the value_info entries.
  graph.annotated = graph.annotated.filter((v) => v !== input);
  return true;
}

// Why an Identity or Dropout (always candidates) stays.
function whyKept(graph: Graph, node: Node): string {
  if (node.opType !== 'Dropout') return 'it has no input to pass on';
  if (node.outputs[1] && graph.useCount(node.outputs[1]) > 0) return 'its mask output is used';
  return 'it may run in training mode (its training flag is not a constant false)';
}

function removeInGraph(graph: Graph, skips: Skips): number {
  const removed = new Set<Node>();
  for (const node of [...graph.nodes]) {
    const out = node.outputs[0];
    const input = passThroughInput({ graph }, node);
    const candidate = (node.opType === 'Identity' || node.opType === 'Dropout') && (node.domain === '' || node.domain === 'ai.onnx');
    if (!out || !input || input === out) {
      if (candidate && out) skips.add(node, whyKept(graph, node));
      continue;
    }
    if (graph.outputs.includes(out) && !promoteToOutput(graph, input, out)) {
      skips.add(node, 'its output is a model output, and its input is a model input, a constant or another output');
      continue;
    }
    graph.replaceAllUses(out, input);
    graph.removeNode(node);
    removed.add(node);
  }
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
  formats: ['onnx'],
  fixedPoint: true,
  run(model) {
    inferShapes(model);
    const skips = new Skips();
    let nodesRemoved = 0;
    for (const g of modelGraphs(model)) nodesRemoved += removeInGraph(g, skips);
    return { changed: nodesRemoved > 0, stats: { nodesRemoved }, skipped: skips.list };
  },
});
