/**
 * GELU written out with the error function becomes one Gelu node before translation, since
 * TFLite has a GELU operator but no Erf. This is how exporters write `nn.GELU()` below opset 20:
 *
 *   x ─ Div(√2) ─ Erf ─ Add(1) ─ Mul(x) ─ Mul(0.5) ─ y        →      x ─ Gelu ─ y
 *
 * Also matched: Mul(1/√2) for the Div, 0.5 applied to x first (Mul(Mul(x, 0.5), ·)) or to the
 * sum first (Mul(Mul(·, 0.5), x)), operands in either order, and a quantized model's
 * QuantizeLinear → DequantizeLinear pairs between the steps (they go with the steps). Every
 * intermediate value must have no other reader.
 */
import type { Graph } from '../../../../ir/graph';
import { Node } from '../../../../ir/node';
import type { Value } from '../../../../ir/value';
import { constantTensor, tensorNumbers } from '../../../../passes/util/constants';

const close = (a: number, b: number): boolean => Math.abs(a - b) <= 1e-3 * Math.abs(b);

function scalar(graph: Graph, v: Value | undefined): number | undefined {
  const t = constantTensor(graph, v);
  const values = t && t.elementCount === 1 ? tensorNumbers(t) : undefined;
  return values?.[0];
}

/** The input of `node` that is not `known` (compared by {@link source}), when `node` is an `op` of `known` and another value. */
function other(node: Node | undefined, op: string, known: Value): Value | undefined {
  if (!node || node.opType !== op || node.domain !== '' || node.inputs.length !== 2) return undefined;
  const [a, b] = node.inputs;
  if (!a || !b) return undefined;
  return source(a) === source(known) ? b : source(b) === source(known) ? a : undefined;
}

/** The float value `v` carries: for DequantizeLinear(QuantizeLinear(u)), u (its rounded copy); else `v`. */
function source(v: Value): Value {
  const dq = v.producer;
  const q = dq?.opType === 'DequantizeLinear' ? dq.inputs[0]?.producer : undefined;
  return q?.opType === 'QuantizeLinear' && q.inputs[0] ? q.inputs[0] : v;
}

/**
 * Walks a chain of single-reader values. In a quantized (QDQ) model each intermediate value passes
 * through QuantizeLinear → DequantizeLinear; those pairs are stepped over and collected, since the
 * fused operator replaces the rounding in between.
 */
class Chain {
  readonly nodes: Node[] = [];
  constructor(readonly graph: Graph) {}

  #only(v: Value | undefined): Node | undefined {
    if (!v || this.graph.useCount(v) !== 1 || this.graph.outputs.includes(v)) return undefined;
    return v.consumers[0];
  }

  /** The node reading `v` (past a Q/DQ pair), when it is the only reader. */
  next(v: Value | undefined): Node | undefined {
    const reader = this.#only(v);
    if (reader?.opType !== 'QuantizeLinear') return reader;
    const dq = this.#only(reader.outputs[0]);
    if (dq?.opType !== 'DequantizeLinear') return undefined;
    const after = this.#only(dq.outputs[0]);
    if (after) this.nodes.push(reader, dq);
    return after;
  }

  /** The node producing `v` (before a Q/DQ pair), when `v` has no other reader. */
  previous(v: Value | undefined): Node | undefined {
    const producer = v?.producer;
    if (!producer || this.#only(v) === undefined) return undefined;
    if (producer.opType !== 'DequantizeLinear') return producer;
    const q = producer.inputs[0]?.producer;
    if (q?.opType !== 'QuantizeLinear' || this.#only(q.outputs[0]) !== producer) return undefined;
    this.nodes.push(producer, q);
    return q.inputs[0]?.producer;
  }
}

/** x for Div(x, √2) or Mul(x, 1/√2). */
function scaledInput(graph: Graph, node: Node | undefined): Value | undefined {
  if (!node || node.domain !== '' || node.inputs.length !== 2) return undefined;
  const [x, c] = node.inputs;
  if (node.opType === 'Div' && close(scalar(graph, c) ?? 0, Math.SQRT2)) return x;
  if (node.opType !== 'Mul') return undefined;
  if (close(scalar(graph, c) ?? 0, Math.SQRT1_2)) return x;
  return close(scalar(graph, x) ?? 0, Math.SQRT1_2) ? c : undefined;
}

const isHalf = (graph: Graph, v: Value | undefined): boolean => close(scalar(graph, v) ?? 0, 0.5);

/** The GELU's input and result and the nodes it replaces (the last one produces the result), or undefined. */
function geluAt(graph: Graph, erf: Node): { x: Value; y: Value; nodes: Node[] } | undefined {
  const chain = new Chain(graph);
  const scale = chain.previous(erf.inputs[0]);
  const x = scaledInput(graph, scale);
  const add = chain.next(erf.outputs[0]);
  const erfOut = erf.outputs[0];
  if (!x || !scale || !erfOut || !add || !close(scalar(graph, other(add, 'Add', erfOut)) ?? 0, 1)) return undefined;
  const sum = add.outputs[0];
  const mul = sum && chain.next(sum);
  const factor = mul && other(mul, 'Mul', sum);
  const product = mul?.outputs[0];
  if (!sum || !mul || !factor || !product) return undefined;
  const done = (last: Node, y: Value | undefined, extra: Node[] = []) =>
    y ? { x, y, nodes: [...chain.nodes, ...extra, scale, erf, add, ...(last === mul ? [] : [mul]), last] } : undefined;
  if (source(factor) === source(x)) {
    // (x · sum) · 0.5
    const half = chain.next(product);
    return half && isHalf(graph, other(half, 'Mul', product)) ? done(half, half.outputs[0]) : undefined;
  }
  if (isHalf(graph, factor)) {
    // (sum · 0.5) · x
    const last = chain.next(product);
    const rest = last && other(last, 'Mul', product);
    return rest && source(rest) === source(x) ? done(last, last.outputs[0]) : undefined;
  }
  // (x · 0.5) · sum
  const halfX = chain.previous(factor);
  if (!halfX || !isHalf(graph, other(halfX, 'Mul', x))) return undefined;
  return done(mul, product, [halfX]);
}

/** Replaces every GELU written with Erf in `graph` by a Gelu node; returns how many. */
export function fuseErfGelu(graph: Graph): number {
  let fused = 0;
  for (const erf of [...graph.nodes]) {
    if (erf.opType !== 'Erf' || erf.domain !== '' || !graph.nodes.includes(erf)) continue;
    const found = geluAt(graph, erf);
    if (!found) continue;
    const last = found.nodes[found.nodes.length - 1]!;
    graph.replaceNode(last, [new Node('Gelu', [found.x], [found.y], { name: erf.name ? `${erf.name}_gelu` : '' })]);
    for (const n of found.nodes.slice(0, -1)) graph.removeNode(n);
    fused++;
  }
  return fused;
}
