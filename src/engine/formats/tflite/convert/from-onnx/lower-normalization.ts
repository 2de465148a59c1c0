/**
 * LayerNormalization (opset 17) and InstanceNormalization have no TFLite operator: before
 * translation each becomes the arithmetic it stands for, which translates op by op.
 *
 *   x ─ LayerNormalization(γ, β, axis, ε) ─ y
 *     →  d = x − ReduceMean(x);  y = d ÷ Sqrt(ReduceMean(d·d) + ε) · γ + β     (over axis … last)
 *   x[N,C,…] ─ InstanceNormalization(γ[C], β[C], ε) ─ y
 *     →  the same over the spatial axes 2 … last, with γ and β as [C,1,…,1]
 *
 * A LayerNormalization whose Mean or InvStdDev outputs are read is left alone (it is refused with
 * a reason at translation).
 */
import type { Graph } from '../../../../ir/graph';
import { Node } from '../../../../ir/node';
import { Tensor } from '../../../../ir/tensor';
import { Value } from '../../../../ir/value';
import { addConstant, constantTensor, floatTensor, int64Tensor } from '../../../../passes/util/constants';

function rankOf(v: Value | undefined): number | undefined {
  return v?.type?.kind === 'tensor' ? v.type.shape?.length : undefined;
}

/** Adds the nodes of (x − mean) ÷ √(var + ε) over `axes`, returns the normalized value. */
function normalized(graph: Graph, node: Node, x: Value, axes: number[], opset: number): { nodes: Node[]; out: Value } {
  const name = (part: string): string => graph.freshName(`${node.name || node.outputs[0]?.name || 'norm'}_${part}`);
  const nodes: Node[] = [];
  const value = (part: string): Value => graph.define(new Value(name(part)));
  const mean = (input: Value, part: string): Value => {
    const out = value(part);
    const axesInput = opset >= 18 ? [addConstant(graph, int64Tensor(name(`${part}_axes`), [axes.length], axes))] : [];
    nodes.push(
      new Node('ReduceMean', [input, ...axesInput], [out], {
        name: name(part),
        attributes: [
          { name: 'keepdims', value: { kind: 'int', value: 1n } },
          ...(opset >= 18 ? [] : [{ name: 'axes', value: { kind: 'ints' as const, value: axes.map(BigInt) } }]),
        ],
      }),
    );
    return out;
  };
  const binary = (op: string, a: Value, b: Value, part: string): Value => {
    const out = value(part);
    nodes.push(new Node(op, [a, b], [out], { name: name(part) }));
    return out;
  };
  const centred = binary('Sub', x, mean(x, 'mean'), 'centred');
  const variance = mean(binary('Mul', centred, centred, 'squared'), 'variance');
  const epsilon = addConstant(graph, floatTensor(name('epsilon'), [], [node.float('epsilon', 1e-5)]));
  const deviation = value('deviation');
  nodes.push(new Node('Sqrt', [binary('Add', variance, epsilon, 'variance_eps')], [deviation], { name: name('deviation') }));
  return { nodes, out: binary('Div', centred, deviation, 'normalized') };
}

/** γ and β of InstanceNormalization reshaped to [C, 1, …, 1] so they broadcast over [N, C, …]. */
function perChannel(graph: Graph, v: Value | undefined, rank: number): Value | undefined {
  const t = constantTensor(graph, v);
  if (!t || t.dims.length !== 1) return undefined;
  const dims = [t.dims[0] as number, ...new Array<number>(rank - 2).fill(1)];
  return addConstant(graph, new Tensor(graph.freshName(`${t.name}_per_channel`), t.dtype, dims, t.bytes()));
}

function lowerOne(graph: Graph, node: Node, opset: number): boolean {
  const [x, scale, bias] = node.inputs;
  const y = node.outputs[0];
  const rank = rankOf(x);
  if (!x || !y || rank === undefined || node.domain !== '') return false;
  let axes: number[];
  let gamma = scale;
  let beta = bias;
  if (node.opType === 'LayerNormalization') {
    if (node.outputs.slice(1).some((o) => o && (graph.useCount(o) > 0 || graph.outputs.includes(o)))) return false;
    const first = node.int('axis', -1) < 0 ? node.int('axis', -1) + rank : node.int('axis', -1);
    axes = Array.from({ length: rank - first }, (_, i) => first + i);
  } else {
    if (rank < 3) return false;
    axes = Array.from({ length: rank - 2 }, (_, i) => i + 2);
    gamma = perChannel(graph, scale, rank);
    beta = perChannel(graph, bias, rank);
    if (!gamma || !beta) return false;
  }
  if (!gamma || axes.length === 0) return false;
  const { nodes, out } = normalized(graph, node, x, axes, opset);
  const scaled = beta ? graph.define(new Value(graph.freshName(`${y.name}_scaled`))) : y;
  nodes.push(new Node('Mul', [out, gamma], [scaled], { name: graph.freshName(`${node.name}_scale`) }));
  if (beta) nodes.push(new Node('Add', [scaled, beta], [y], { name: graph.freshName(`${node.name}_shift`) }));
  graph.replaceNode(node, nodes);
  return true;
}

/** Replaces LayerNormalization and InstanceNormalization nodes of `graph` by their arithmetic; returns how many. */
export function lowerNormalization(graph: Graph, opset: number): number {
  let lowered = 0;
  for (const node of [...graph.nodes])
    if ((node.opType === 'LayerNormalization' || node.opType === 'InstanceNormalization') && lowerOne(graph, node, opset)) lowered++;
  return lowered;
}
