/**
 * Einsum has no TFLite operator: before translation each Einsum of fixed shapes becomes the
 * transposes, reshapes, sums and batched matrix products it stands for, which translate op by op.
 *
 *   Einsum("bid,bjd->bij", q, k)
 *     →  MatMul(q[b,i,d], Transpose(k)[b,d,j]) = [b,i,j]
 *   Einsum("ij,jk,kl->il", a, b, c)
 *     →  operands are contracted left to right, each pair as one MatMul:
 *        labels of both and of the output are batch axes (kept, broadcast by MatMul), labels of
 *        both but not needed later are contracted, the others are each side's free axes;
 *        a label of one operand needed nowhere later is summed first (ReduceSum).
 *   Einsum("ii->i", a) (a label repeated inside one operand: a diagonal) is left alone and refused
 *   with its reason at translation.
 *
 * The implicit form ("ij,jk" without "->") means the output is every label used once, in
 * alphabetical order, after the ellipsis axes. Ellipsis axes ("...") are aligned from the right
 * and broadcast like the rest.
 */
import type { Graph } from '../../../../ir/graph';
import { Node } from '../../../../ir/node';
import { Value } from '../../../../ir/value';
import { addConstant, int64Tensor } from '../../../../passes/util/constants';

/** An operand while lowering: a value and the label of each of its axes. */
interface Term {
  value: Value;
  labels: string[];
  shape: number[];
}

function shapeOf(v: Value | undefined): number[] | undefined {
  const shape = v?.type?.kind === 'tensor' ? v.type.shape : undefined;
  if (!shape || shape.some((d) => typeof d !== 'number')) return undefined;
  return shape as number[];
}

// Ellipsis axes get labels that cannot appear in an equation (letters only): '0', '1', …
const ellipsisLabel = (i: number): string => String.fromCharCode(0x30 + i);

/** Splits an equation into each operand's labels and the output's, or undefined when it cannot be lowered. */
export function parseEinsum(equation: string, ranks: readonly number[]): { inputs: string[][]; output: string[] } | undefined {
  const eq = equation.replace(/\s+/g, '');
  const [lhs, rhs] = eq.includes('->') ? eq.split('->') : [eq, undefined];
  const terms = (lhs ?? '').split(',');
  if (terms.length !== ranks.length) return undefined;
  let ellipsisRank = 0;
  const parts = terms.map((term, i) => {
    const [before, after, extra] = term.split('...');
    if (extra !== undefined) return undefined;
    const explicit = (before ?? '').length + (after ?? '').length;
    const dots = after === undefined ? 0 : (ranks[i] ?? 0) - explicit;
    if (dots < 0 || (after === undefined && explicit !== ranks[i])) return undefined;
    ellipsisRank = Math.max(ellipsisRank, dots);
    return { before: [...(before ?? '')], after: after === undefined ? undefined : [...after], dots };
  });
  if (parts.some((p) => !p)) return undefined;
  const letters = /^[a-zA-Z]$/;
  const inputs = parts.map((p) => {
    if (!p) return [];
    const dots = Array.from({ length: p.dots }, (_, k) => ellipsisLabel(ellipsisRank - p.dots + k));
    return [...p.before, ...(p.after === undefined ? [] : dots), ...(p.after ?? [])];
  });
  if (inputs.some((labels) => labels.some((l) => !letters.test(l) && !/^[0-9]$/.test(l)))) return undefined;
  const allDots = Array.from({ length: ellipsisRank }, (_, k) => ellipsisLabel(k));
  let output: string[];
  if (rhs === undefined) {
    const count = new Map<string, number>();
    for (const labels of inputs) for (const l of labels) if (letters.test(l)) count.set(l, (count.get(l) ?? 0) + 1);
    output = [
      ...allDots,
      ...[...count]
        .filter(([, n]) => n === 1)
        .map(([l]) => l)
        .sort(),
    ];
  } else {
    const [before, after, extra] = rhs.split('...');
    if (extra !== undefined) return undefined;
    output = [...(before ?? ''), ...(after === undefined ? [] : allDots), ...(after ?? '')];
    if (output.some((l) => !letters.test(l) && !/^[0-9]$/.test(l))) return undefined;
    if (new Set(output).size !== output.length) return undefined;
    const known = new Set(inputs.flat());
    if (output.some((l) => !known.has(l))) return undefined;
  }
  return { inputs, output };
}

class Lowering {
  readonly nodes: Node[] = [];
  constructor(
    private readonly graph: Graph,
    private readonly base: string,
    private readonly opset: number,
  ) {}

  private fresh(part: string): Value {
    return this.graph.define(new Value(this.graph.freshName(`${this.base}_${part}`)));
  }

  private ints(part: string, values: number[]): Value {
    return addConstant(this.graph, int64Tensor(this.graph.freshName(`${this.base}_${part}`), [values.length], values));
  }

  private emit(op: string, inputs: Value[], part: string, attributes: Node['attributes'] = [], out?: Value): Value {
    const y = out ?? this.fresh(part);
    this.nodes.push(new Node(op, inputs, [y], { name: this.graph.freshName(`${this.base}_${part}`), attributes }));
    return y;
  }

  transpose(t: Term, labels: string[], out?: Value): Term {
    const perm = labels.map((l) => t.labels.indexOf(l));
    if (perm.every((p, i) => p === i) && !out) return t;
    const value = this.emit('Transpose', [t.value], 'transpose', [{ name: 'perm', value: { kind: 'ints', value: perm.map(BigInt) } }], out);
    return { value, labels, shape: perm.map((p) => t.shape[p] ?? 1) };
  }

  reshape(t: Term, shape: number[], labels: string[], out?: Value): Term {
    if (!out && shape.length === t.shape.length && shape.every((d, i) => d === t.shape[i])) return { ...t, labels };
    return { value: this.emit('Reshape', [t.value, this.ints('shape', shape)], 'reshape', [], out), labels, shape };
  }

  /** Sums away the axes of `t` whose labels are not in `keep`. */
  sum(t: Term, keep: Set<string>): Term {
    const axes = t.labels.flatMap((l, i) => (keep.has(l) ? [] : [i]));
    if (!axes.length) return t;
    const keepdims = { name: 'keepdims', value: { kind: 'int' as const, value: 0n } };
    const value =
      this.opset >= 13
        ? this.emit('ReduceSum', [t.value, this.ints('axes', axes)], 'sum', [keepdims])
        : this.emit('ReduceSum', [t.value], 'sum', [keepdims, { name: 'axes', value: { kind: 'ints', value: axes.map(BigInt) } }]);
    const kept = t.labels.flatMap((l, i) => (keep.has(l) ? [i] : []));
    return { value, labels: kept.map((i) => t.labels[i] ?? ''), shape: kept.map((i) => t.shape[i] ?? 1) };
  }

  /** Contracts `a` with `b`, keeping the labels in `needed` (in a's-then-b's order, batch axes first). */
  pair(a: Term, b: Term, needed: Set<string>): Term {
    const inB = new Set(b.labels);
    const inA = new Set(a.labels);
    const batch = a.labels.filter((l) => inB.has(l) && needed.has(l));
    const contract = a.labels.filter((l) => inB.has(l) && !needed.has(l));
    const freeA = a.labels.filter((l) => !inB.has(l));
    const freeB = b.labels.filter((l) => !inA.has(l));
    const size = (t: Term, l: string): number => t.shape[t.labels.indexOf(l)] ?? 1;
    const product = (t: Term, labels: string[]): number => labels.reduce((p, l) => p * size(t, l), 1);
    const at = this.transpose(a, [...batch, ...freeA, ...contract]);
    const bt = this.transpose(b, [...batch, ...contract, ...freeB]);
    const k = product(a, contract);
    const batchA = batch.map((l) => size(a, l));
    const batchB = batch.map((l) => size(b, l));
    const am = this.reshape(at, [...batchA, product(a, freeA), k], at.labels);
    const bm = this.reshape(bt, [...batchB, k, product(b, freeB)], bt.labels);
    const product3 = this.emit('MatMul', [am.value, bm.value], 'matmul');
    const batchShape = batch.map((l, i) => Math.max(batchA[i] ?? 1, batchB[i] ?? 1));
    const labels = [...batch, ...freeA, ...freeB];
    const shape = [...batchShape, ...freeA.map((l) => size(a, l)), ...freeB.map((l) => size(b, l))];
    const matShape = [...batchShape, product(a, freeA), product(b, freeB)];
    return this.reshape({ value: product3, labels, shape: matShape }, shape, labels);
  }
}

/** Replaces one Einsum by its lowering; false (left alone) when its equation or shapes cannot be lowered. */
function lowerOne(graph: Graph, node: Node, opset: number): boolean {
  const operands = node.inputs.map((v) => ({ v, shape: shapeOf(v) }));
  const y = node.outputs[0];
  if (!y || !operands.length || operands.some((o) => !o.v || !o.shape)) return false;
  const parsed = parseEinsum(
    node.string('equation', ''),
    operands.map((o) => o.shape?.length ?? 0),
  );
  if (!parsed || parsed.inputs.some((labels) => new Set(labels).size !== labels.length)) return false;
  const low = new Lowering(graph, node.name || y.name || 'einsum', opset);
  const terms: Term[] = operands.map((o, i) => ({ value: o.v as Value, labels: parsed.inputs[i] ?? [], shape: o.shape ?? [] }));
  // a label is needed after operand i when the output or a later operand has it
  const neededAfter = (i: number): Set<string> => new Set([...parsed.output, ...terms.slice(i + 1).flatMap((t) => t.labels)]);
  let acc = low.sum(terms[0] as Term, new Set([...neededAfter(0), ...(terms[1]?.labels ?? [])]));
  for (let i = 1; i < terms.length; i++) {
    const needed = neededAfter(i);
    const next = low.sum(terms[i] as Term, new Set([...needed, ...acc.labels]));
    acc = low.sum(acc, new Set([...needed, ...next.labels]));
    acc = low.pair(acc, next, needed);
  }
  acc = low.sum(acc, new Set(parsed.output));
  const final = low.transpose(acc, parsed.output);
  // the last node writes the Einsum's own output value (an Einsum that changes nothing becomes a copy)
  const last = low.nodes.at(-1);
  if (last && last.outputs[0] === final.value) last.setOutput(0, y);
  else low.reshape(final, final.shape, final.labels, y);
  graph.replaceNode(node, low.nodes);
  return true;
}

/** Replaces the Einsum nodes of `graph` whose shapes are fixed by their lowering; returns how many. */
export function lowerEinsum(graph: Graph, opset: number): number {
  let lowered = 0;
  for (const node of [...graph.nodes]) if (node.opType === 'Einsum' && lowerOne(graph, node, opset)) lowered++;
  return lowered;
}
