// Tidies a freshly translated TFLite graph; every rewrite computes exactly what it replaces:
//   RESHAPE(RESHAPE(x, a), b)            → RESHAPE(x, b)
//   TRANSPOSE(TRANSPOSE(x, p), q)        → TRANSPOSE(x, p∘q), or x when they undo each other
//   RELU/RELU6/RELU_N1_TO_1(op(…))       → op(…) with that fused activation (CONV_2D, ADD, …)
// and drops ops whose results nothing uses. Ops that only move data (RESHAPE, TRANSPOSE, …) give an
// unquantized end the quantization of the other, so quantized graph inputs and outputs keep theirs.
import type { Graph } from '../../../../ir/graph';
import type { Node } from '../../../../ir/node';
import { Tensor } from '../../../../ir/tensor';
import type { Value } from '../../../../ir/value';
import { compose, isIdentity } from './perm';

const FUSABLE = new Set(['CONV_2D', 'DEPTHWISE_CONV_2D', 'FULLY_CONNECTED', 'ADD', 'SUB', 'MUL', 'DIV', 'TRANSPOSE_CONV']);
// TFLite's kernels apply these as a clamp; a fused TANH is not applied by arithmetic and convolution kernels
const ACTIVATIONS: Record<string, number> = { RELU: 1, RELU_N1_TO_1: 2, RELU6: 3 };

function ints(v: Value | undefined): number[] | undefined {
  const t = v?.initializer;
  return t ? Array.from(t.toTypedArray() as Int32Array) : undefined;
}

function shapeOf(v: Value | undefined): number[] | undefined {
  return v?.type?.kind === 'tensor' && v.type.shape ? v.type.shape.map(Number) : undefined;
}

interface Uses {
  producer: Map<Value, Node>;
  readers: Map<Value, Node[]>;
}

function uses(graph: Graph): Uses {
  const producer = new Map<Value, Node>();
  const readers = new Map<Value, Node[]>();
  for (const n of graph.nodes) {
    for (const o of n.outputs) if (o) producer.set(o, n);
    for (const i of n.inputs) if (i) readers.set(i, [...(readers.get(i) ?? []), n]);
  }
  return { producer, readers };
}

/** Runs every rewrite until none applies, then removes dead ops. */
export function cleanUpTflite(graph: Graph): void {
  for (let round = 0; round < 8; round++) {
    const changed = collapseChains(graph) + fuseActivations(graph);
    removeDeadOps(graph);
    if (!changed) break;
  }
  shareQuantization(graph);
}

const MOVES_DATA = new Set(['RESHAPE', 'TRANSPOSE', 'SQUEEZE', 'EXPAND_DIMS']);

/** Copies quantization across data-moving ops in both directions until nothing changes. */
function shareQuantization(graph: Graph): void {
  for (let changed = true; changed;) {
    changed = false;
    for (const node of graph.nodes) {
      const [input] = node.inputs;
      const [output] = node.outputs;
      if (!MOVES_DATA.has(node.opType) || !input || !output || input.initializer) continue;
      if (input.quantization && !output.quantization) output.quantization = input.quantization;
      else if (output.quantization && !input.quantization) input.quantization = output.quantization;
      else continue;
      changed = true;
    }
  }
}

/** Back-to-back RESHAPEs and TRANSPOSEs become one (or none). Returns how many were rewritten. */
function collapseChains(graph: Graph): number {
  const { producer } = uses(graph);
  const outputs = new Set(graph.outputs);
  const replace = new Map<Value, Value>();
  let changed = 0;
  for (const node of graph.nodes) {
    const [input] = node.inputs;
    const [out] = node.outputs;
    if (!input || !out) continue;
    const before = producer.get(input);
    if (node.opType === 'RESHAPE') {
      const source = before?.opType === 'RESHAPE' ? before.inputs[0] : undefined;
      const target = shapeOf(out);
      if (source && target) {
        node.inputs = [source, ...node.inputs.slice(1)];
        changed++;
      }
      const from = shapeOf(node.inputs[0]);
      if (from && target && from.length === target.length && from.every((d, i) => d === target[i]) && !outputs.has(out)) {
        replace.set(out, node.inputs[0] as Value);
        changed++;
      }
    } else if (node.opType === 'TRANSPOSE' && before?.opType === 'TRANSPOSE') {
      const p = ints(before.inputs[1]);
      const q = ints(node.inputs[1]);
      const source = before.inputs[0];
      if (!p || !q || !source || p.length !== q.length) continue;
      const both = compose(p, q);
      if (isIdentity(both) && !outputs.has(out)) replace.set(out, source);
      else node.inputs = [source, int32Constant(graph, `${out.name}_perm`, both)];
      changed++;
    }
  }
  if (replace.size) {
    const resolve = (v: Value): Value => {
      let at = v;
      for (let next = replace.get(at); next; next = replace.get(at)) at = next;
      return at;
    };
    for (const n of graph.nodes) n.inputs = n.inputs.map((v) => (v ? resolve(v) : v));
  }
  return changed;
}

/** RELU-like ops after an op that can apply them itself are fused into it. */
function fuseActivations(graph: Graph): number {
  const { producer, readers } = uses(graph);
  const outputs = new Set(graph.outputs);
  let fused = 0;
  for (const node of graph.nodes) {
    const code = ACTIVATIONS[node.opType];
    const [input] = node.inputs;
    const [out] = node.outputs;
    if (code === undefined || !input || !out) continue;
    const before = producer.get(input);
    const dtype = input.type?.kind === 'tensor' ? input.type.dtype : undefined;
    if (!before || !FUSABLE.has(before.opType) || dtype !== 'float32') continue;
    if ((readers.get(input)?.length ?? 0) !== 1 || outputs.has(input)) continue;
    if (before.int('fused_activation_function', 0) !== 0) continue;
    before.attributes = [
      ...before.attributes.filter((a) => a.name !== 'fused_activation_function'),
      { name: 'fused_activation_function', value: { kind: 'int', value: BigInt(code) } },
    ];
    // the fused op now produces the activation's result
    before.outputs = before.outputs.map((o) => (o === input ? out : o));
    node.outputs = [];
    fused++;
  }
  if (fused) graph.nodes = graph.nodes.filter((n) => n.outputs.length > 0);
  return fused;
}

function int32Constant(graph: Graph, base: string, values: readonly number[]): Value {
  let name = base;
  for (let i = 1; graph.value(name); i++) name = `${base}_${i}`;
  const v = graph.addInitializer(new Tensor(name, 'int32', [values.length], new Uint8Array(Int32Array.from(values).buffer)));
  v.type = { kind: 'tensor', dtype: 'int32', shape: [values.length] };
  return v;
}

/** Removes ops none of whose results is used (by another op or as a graph output). */
function removeDeadOps(graph: Graph): void {
  for (;;) {
    const used = new Set<Value>(graph.outputs);
    for (const n of graph.nodes) for (const v of n.inputs) if (v) used.add(v);
    const kept = graph.nodes.filter((n) => n.outputs.some((o) => o && used.has(o)));
    if (kept.length === graph.nodes.length) return;
    graph.nodes = kept;
  }
}
