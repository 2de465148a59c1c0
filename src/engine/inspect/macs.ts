import type { Graph } from '../ir/graph';
import type { Node } from '../ir/node';
import type { Dim } from '../ir/shape';
import type { Value } from '../ir/value';

/** Estimated multiply-accumulate counts of a graph (see {@link estimateMacs}). */
export interface MacEstimate {
  total: number;
  byOp: Record<string, number>;
  notes: string[];
}

const COUNTED = new Set(['Conv', 'ConvInteger', 'QLinearConv', 'ConvTranspose', 'Gemm', 'MatMul', 'MatMulInteger', 'QLinearMatMul', 'LSTM', 'GRU', 'RNN']);

/**
 * Estimates MACs for Conv/ConvTranspose/Gemm/MatMul (and their integer/quantized forms) and
 * LSTM/GRU/RNN from the (inferred) value shapes. Symbolic or unknown dimensions count as 1 and a
 * note says so; nodes whose shapes are unknown are listed in the notes. Subgraph bodies (Loop,
 * If, Scan) are counted once.
 */
export function estimateMacs(graph: Graph): MacEstimate {
  const est: MacEstimate = { total: 0, byOp: {}, notes: [] };
  const dynamic = new Set<string>();
  let unknown = 0;
  const walk = (g: Graph): void => {
    for (const node of g.nodes) {
      for (const s of node.subgraphs()) walk(s);
      if (!COUNTED.has(node.opType) || (node.domain !== '' && node.domain !== 'ai.onnx')) continue;
      const macs = nodeMacs(node, dynamic);
      if (macs === undefined) {
        unknown++;
        continue;
      }
      est.total += macs;
      est.byOp[node.opType] = (est.byOp[node.opType] ?? 0) + macs;
    }
  };
  walk(graph);
  if (dynamic.size > 0) est.notes.push(`dynamic dimensions treated as 1: ${[...dynamic].join(', ')}`);
  if (unknown > 0) est.notes.push(`${unknown} node(s) skipped because their shapes could not be inferred`);
  return est;
}

function shapeOf(v: Value | undefined): Dim[] | undefined {
  if (!v) return undefined;
  if (v.type?.kind === 'tensor' && v.type.shape) return v.type.shape;
  return v.initializer ? v.initializer.dims : undefined;
}

function nodeMacs(node: Node, dynamic: Set<string>): number | undefined {
  const num = (d: Dim | undefined): number => {
    if (typeof d === 'number') return d;
    dynamic.add(d === null || d === undefined ? '?' : d);
    return 1;
  };
  const prod = (ds: Dim[]): number => ds.reduce<number>((p, d) => p * num(d), 1);
  const input = (i: number): Dim[] | undefined => shapeOf(node.inputs[i]);
  const output = shapeOf(node.outputs[0]);
  switch (node.opType) {
    case 'Conv':
    case 'ConvInteger':
    case 'QLinearConv': {
      const w = input(node.opType === 'QLinearConv' ? 3 : 1);
      if (!w || !output) return undefined;
      return prod(output) * prod(w.slice(1));
    }
    case 'ConvTranspose': {
      const x = input(0);
      const w = input(1);
      if (!x || !w) return undefined;
      return prod(x) * prod(w.slice(1));
    }
    case 'Gemm': {
      const a = input(0);
      if (!a || !output || a.length !== 2) return undefined;
      const k = node.int('transA', 0) ? a[0] : a[1];
      return prod(output) * num(k);
    }
    case 'MatMul':
    case 'MatMulInteger':
    case 'QLinearMatMul': {
      const a = input(0);
      if (!a || !output) return undefined;
      return prod(output) * num(a[a.length - 1]);
    }
    case 'LSTM':
    case 'GRU':
    case 'RNN': {
      const x = input(0);
      const w = input(1);
      if (!x || !w || w.length !== 3) return undefined;
      const hidden = node.int('hidden_size', 0) || num(w[1]) / (node.opType === 'LSTM' ? 4 : node.opType === 'GRU' ? 3 : 1);
      const batchFirst = node.int('layout', 0) === 1;
      const steps = num(batchFirst ? x[1] : x[0]) * num(batchFirst ? x[0] : x[1]);
      return steps * num(w[0]) * num(w[1]) * (num(w[2]) + hidden);
    }
  }
  return undefined;
}
