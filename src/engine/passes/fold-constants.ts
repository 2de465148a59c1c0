/**
 * fold-constants: parts that do not depend on the inputs are computed once and stored.
 *
 *   W ─ Transpose ─ Conv(x, ·)      →      W' ─ Conv(x, ·)      (W' = Transpose(W), stored)
 *   x ─ Shape ─ Gather ─ Reshape    →      [2,3] ─ Reshape       (when x's shape is known)
 *
 * Evaluated in onnxruntime; results larger than `maxOutputBytes` stay computed at run time.
 */
import { z } from 'zod';
import type { Graph } from '../ir/graph';
import { inferShapes } from '../ir/shape-inference';
import type { Model } from '../ir/model';
import type { Node } from '../ir/node';
import { isStaticShape } from '../ir/shape';
import type { Tensor } from '../ir/tensor';
import { definePass } from './pass';
import {
  allowInitializersOutsideInputs,
  constantNodeTensor,
  int64Tensor,
  isConstantNode,
  shareTensor,
  tensorNumbers,
  tensorType,
} from './util/constants';
import { removeDeadCode } from './util/dead-code';
import { evaluateNodes } from './util/evaluate-nodes';
import { modelGraphs } from './util/graph-walk';
import { shapeOf } from './util/shapes';
import { Skips } from './util/skips';

// Operators whose result differs from run to run, or that must stay as they are.
const NEVER_FOLD = new Set([
  'RandomNormal',
  'RandomUniform',
  'RandomNormalLike',
  'RandomUniformLike',
  'Multinomial',
  'Bernoulli',
  'DequantizeLinear',
]);

// Largest result (bytes) evaluated at all, so a bad graph cannot exhaust memory while folding.
const EVALUATION_LIMIT = 256 * 1024 * 1024;

// Bytes a stored result may exceed the constants it frees by: about what the folded node itself takes in the file.
const NODE_BYTES = 64;

// Bytes an expanding node (ConstantOfShape, Expand, Tile, Range) would produce, from its constant inputs.
function expansionBytes(node: Node, constants: Map<string, Tensor>): number {
  const numbers = (i: number): number[] => {
    const t = node.inputs[i] ? constants.get(node.inputs[i].name) : undefined;
    return (t && tensorNumbers(t)) ?? [];
  };
  const product = (xs: number[]): number => xs.reduce((a, b) => a * Math.max(b, 1), 1);
  const first = node.inputs[0] ? constants.get(node.inputs[0].name) : undefined;
  if (node.opType === 'ConstantOfShape') return product(numbers(0)) * 8;
  if (node.opType === 'Expand') return product(numbers(1)) * Math.max(first?.elementCount ?? 1, 1) * 8;
  if (node.opType === 'Tile') return product(numbers(1)) * (first?.byteLength ?? 0);
  // Range(start, limit, delta) has max(ceil((limit − start) / delta), 0) elements.
  if (node.opType === 'Range') {
    const [start, limit, delta] = [numbers(0)[0], numbers(1)[0], numbers(2)[0]];
    if (start === undefined || limit === undefined || delta === undefined || delta === 0) return 0;
    return Math.max(Math.ceil((limit - start) / delta), 0) * 8;
  }
  return 0;
}

// The shape of a Shape node's input as a tensor, when it is fully known.
function staticShapeOf(node: Node): Tensor | undefined {
  const shape = shapeOf(node.inputs[0]);
  const out = node.outputs[0];
  if (!shape || !isStaticShape(shape) || !out) return undefined;
  const rank = shape.length;
  const clamp = (i: number): number => Math.min(Math.max(i < 0 ? i + rank : i, 0), rank);
  const dims = shape.slice(clamp(node.int('start', 0)), clamp(node.int('end', rank)));
  return node.opType === 'Size'
    ? int64Tensor(out.name, [], [shape.reduce((a, b) => a * b, 1)])
    : int64Tensor(out.name, [dims.length], dims);
}

interface Plan {
  /** Constant tensors by value name: initializers (this graph's and the enclosing graphs'), Constant nodes, known shapes. */
  constants: Map<string, Tensor>;
  /** Nodes computed in JS (Shape/Size of known shapes) or Constant nodes. */
  direct: Node[];
  /** Nodes to evaluate in onnxruntime, producers first. */
  evaluate: Node[];
}

// Why a node whose inputs are all constant is not computed ahead of time (undefined: it can be).
function whyNotFolded(node: Node, constants: Map<string, Tensor>): string | undefined {
  if (node.opType === 'DequantizeLinear') return 'it expands quantized weights, which stay stored in their small form';
  if (NEVER_FOLD.has(node.opType)) return 'it gives a different result each time the model runs';
  if (node.subgraphs().length > 0) return 'it holds a subgraph (If/Loop/Scan)';
  const bytes = expansionBytes(node, constants);
  if (bytes > EVALUATION_LIMIT) return `its result would take ${(bytes / 2 ** 20).toFixed(0)} MB`;
  return undefined;
}

function planFolding(graph: Graph, skips: Skips): Plan {
  const plan: Plan = { constants: new Map(), direct: [], evaluate: [] };
  for (let g: Graph | undefined = graph; g; g = g.parent) {
    for (const t of g.initializers) {
      const v = g.ownValue(t.name);
      if (v && !g.inputs.includes(v) && !plan.constants.has(t.name) && graph.value(t.name) === v) plan.constants.set(t.name, t);
    }
  }
  const outputs = new Set(graph.outputs);
  const evaluated = new Set<string>();
  const order = graph.topologicalOrder().order ?? [];
  for (const node of order) {
    const outs = node.outputs.filter((o) => o !== undefined);
    const [first] = outs;
    if (!first || outs.some((o) => outputs.has(o)) || (node.domain !== '' && node.domain !== 'ai.onnx')) continue;
    if (isConstantNode(node)) {
      const t = constantNodeTensor(node);
      if (t) {
        plan.constants.set(first.name, t);
        plan.direct.push(node);
      }
      continue;
    }
    if (node.opType === 'Shape' || node.opType === 'Size') {
      const t = staticShapeOf(node);
      if (t) {
        plan.constants.set(first.name, t);
        plan.direct.push(node);
        continue;
      }
    }
    if (!node.inputs.every((i) => i === undefined || plan.constants.has(i.name) || evaluated.has(i.name))) continue;
    const why = whyNotFolded(node, plan.constants);
    if (why) {
      skips.add(node, why);
      continue;
    }
    if (node.inputs.every((i) => i === undefined)) continue;
    plan.evaluate.push(node);
    for (const o of outs) evaluated.add(o.name);
  }
  return plan;
}

// Evaluates the plan's nodes in one session; falls back to one node at a time if that fails.
async function evaluate(model: Model, plan: Plan, notes: string[], skips: Skips): Promise<Map<string, Tensor>> {
  if (plan.evaluate.length === 0) return new Map();
  try {
    return await evaluateNodes(model, plan.evaluate, plan.constants);
  } catch (error) {
    notes.push(`evaluating all constant operations at once failed (${firstLine(error)}); retried one at a time`);
  }
  const known = new Map(plan.constants);
  const results = new Map<string, Tensor>();
  for (const node of plan.evaluate) {
    if (!node.inputs.every((i) => i === undefined || known.has(i.name))) {
      skips.add(node, 'an operation it depends on could not be computed ahead of time');
      continue;
    }
    try {
      for (const [name, t] of await evaluateNodes(model, [node], known)) {
        known.set(name, t);
        results.set(name, t);
      }
    } catch (error) {
      skips.add(node, `onnxruntime could not compute it ahead of time (${firstLine(error)})`);
    }
  }
  return results;
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
}

// Folds the constant parts of one graph; returns the nodes it replaced by initializers.
async function foldGraph(
  model: Model,
  graph: Graph,
  limits: { maxOutputBytes: number; allowGrowth: boolean },
  tooLarge: { count: number },
  notes: string[],
  skips: Skips,
): Promise<Set<Node>> {
  const plan = planFolding(graph, skips);
  const results = await evaluate(model, plan, notes, skips);
  for (const node of plan.direct) {
    const out = node.outputs[0];
    const t = out ? plan.constants.get(out.name) : undefined;
    if (out && t) results.set(out.name, t);
  }
  const folded = new Set<Node>();
  const growsFile = wouldGrow(graph, plan, results);
  const storedResults = new Set<string>();
  const direct = new Set(plan.direct);
  for (const node of [...plan.direct, ...plan.evaluate]) {
    const outs = node.outputs.filter((o) => o !== undefined);
    const tensors = outs.map((o) => results.get(o.name));
    if (!tensors.every((t) => t !== undefined)) continue;
    const largest = Math.max(...tensors.map((t) => t.byteLength));
    if (!isConstantNode(node) && largest > limits.maxOutputBytes) {
      tooLarge.count++;
      skips.add(node, `its result (${largest} bytes) is larger than the ${limits.maxOutputBytes} bytes allowed, so the file does not grow`);
      continue;
    }
    // A node whose input was left computed is no longer constant-only.
    if (!direct.has(node) && node.inputs.some((i) => i && !plan.constants.has(i.name) && !storedResults.has(i.name))) {
      skips.add(node, 'an input it needs was left to be computed at run time');
      continue;
    }
    if (!limits.allowGrowth && growsFile(node, storedResults)) {
      skips.add(node, 'storing its result would make the file larger than computing it (e.g. float16 weights widened by a Cast)');
      continue;
    }
    for (const o of outs) storedResults.add(o.name);
    outs.forEach((o, i) => {
      const t = tensors[i];
      if (!t) return;
      o.initializer = undefined;
      const v = graph.addInitializer(shareTensor(t, o.name));
      v.type = tensorType(t);
    });
    folded.add(node);
  }
  graph.removeNodes(folded);
  return folded;
}

/**
 * Whether folding `node` would make the file larger: its results take more bytes than the constants it frees plus the
 * node itself. A constant is freed only when this graph holds it and every node that reads it, in any graph, is folded
 * too: a weight of an enclosing graph, or one a subgraph also reads, stays in the file. Float16 weights and their Cast
 * to float32 stay as they are.
 */
function wouldGrow(graph: Graph, plan: Plan, results: Map<string, Tensor>): (node: Node, stored: Set<string>) => boolean {
  const foldable = new Set<Node>([...plan.direct, ...plan.evaluate]);
  const outputs = new Set(graph.outputs.map((o) => o.name));
  return (node, stored) => {
    if (isConstantNode(node)) return false;
    // Only tensors that are in the file (constants, results already stored) free bytes when their last user goes.
    const freed = (name: string): number => {
      const t = plan.constants.get(name) ?? (stored.has(name) ? results.get(name) : undefined);
      const own = graph.ownValue(name);
      return t && own && !outputs.has(name) && own.consumers.every((user) => foldable.has(user)) ? t.byteLength : 0;
    };
    const added = node.outputs.reduce((sum, o) => sum + (o ? (results.get(o.name)?.byteLength ?? 0) : 0), 0);
    const inputs = new Set(node.inputs.filter((i) => i !== undefined).map((i) => i.name));
    const released = [...inputs].reduce((sum, name) => sum + freed(name), 0);
    return added > released + NODE_BYTES;
  };
}

/** Replaces constant-only computations by their results. */
export const foldConstants = definePass({
  name: 'fold-constants',
  title: 'Precompute constant parts',
  description:
    'Works out ahead of time every part of the model that does not depend on the input (for example reshaping or ' +
    'transposing stored weights, or shapes that are always the same) and stores the result instead. ' +
    'The device then has less to compute each time the model runs; results do not change. Quantized weights stay quantized, ' +
    'and nothing is precomputed whose result would make the file larger (float16 weights keep their conversion).',
  options: z.object({
    maxOutputBytes: z
      .number()
      .int()
      .min(0)
      .default(1024 * 1024)
      .describe('Largest precomputed result to store (bytes); bigger ones stay computed at run time so the file does not grow.'),
    allowGrowth: z
      .boolean()
      .default(false)
      .describe('Store results even where they take more bytes than computing them (for formats that need every constant folded).'),
  }),
  formats: ['onnx'],
  // Folding can make more shapes known (a Reshape by a now-constant shape), which lets a second round fold more.
  fixedPoint: true,
  async run(model, options) {
    const notes: string[] = [];
    const skips = new Skips();
    inferShapes(model);
    let nodesFolded = 0;
    let constantNodes = 0;
    const tooLarge = { count: 0 };
    for (const graph of modelGraphs(model)) {
      const folded = await foldGraph(model, graph, options, tooLarge, notes, skips);
      const fromConstants = [...folded].filter(isConstantNode).length;
      constantNodes += fromConstants;
      nodesFolded += folded.size - fromConstants;
    }
    if (nodesFolded + constantNodes > 0) allowInitializersOutsideInputs(model);
    if (tooLarge.count > 0)
      notes.push(`${tooLarge.count} constant results larger than ${options.maxOutputBytes} bytes were left to be computed at run time`);
    const cleanup = removeDeadCode(model.graph);
    const stats = {
      nodesFolded,
      constantNodesToInitializers: constantNodes,
      nodesRemoved: cleanup.nodesRemoved,
      initializersRemoved: cleanup.initializersRemoved,
    };
    const changed = nodesFolded + constantNodes > 0 || cleanup.nodesRemoved + cleanup.initializersRemoved + cleanup.valueInfoRemoved > 0;
    return { changed, stats, notes, skipped: skips.list };
  },
});
