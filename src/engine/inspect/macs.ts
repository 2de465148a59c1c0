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

const TFLITE_COUNTED = new Set([
  'CONV_2D',
  'DEPTHWISE_CONV_2D',
  'TRANSPOSE_CONV',
  'FULLY_CONNECTED',
  'BATCH_MATMUL',
  'UNIDIRECTIONAL_SEQUENCE_LSTM',
]);
const COUNTED = new Set([
  'Conv',
  'ConvInteger',
  'QLinearConv',
  'ConvTranspose',
  'Gemm',
  'MatMul',
  'MatMulInteger',
  'QLinearMatMul',
  'LSTM',
  'GRU',
  'RNN',
]);

/**
 * Estimates MACs for Conv/ConvTranspose/Gemm/MatMul (and their integer/quantized forms) and
 * LSTM/GRU/RNN from the (inferred) value shapes; for TFLite graphs (domain `tflite`) for
 * CONV_2D, DEPTHWISE_CONV_2D, TRANSPOSE_CONV, FULLY_CONNECTED, BATCH_MATMUL and
 * UNIDIRECTIONAL_SEQUENCE_LSTM. Symbolic or unknown dimensions count as 1 and a
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
      const onnx = node.domain === '' || node.domain === 'ai.onnx';
      const tflite = node.domain === 'tflite' && TFLITE_COUNTED.has(node.opType);
      if (!(onnx && COUNTED.has(node.opType)) && !tflite) continue;
      const macs = tflite ? tfliteMacs(node, dynamic) : nodeMacs(node, dynamic);
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

/** Dimension arithmetic that counts symbolic/unknown dims as 1 and remembers them. */
function dimCounter(dynamic: Set<string>): { num: (d: Dim | undefined) => number; prod: (ds: Dim[]) => number } {
  const num = (d: Dim | undefined): number => {
    if (typeof d === 'number') return d;
    dynamic.add(d === null || d === undefined ? '?' : d);
    return 1;
  };
  return { num, prod: (ds) => ds.reduce<number>((p, d) => p * num(d), 1) };
}

function shapeOf(v: Value | undefined): Dim[] | undefined {
  if (!v) return undefined;
  if (v.type?.kind === 'tensor' && v.type.shape) return v.type.shape;
  return v.initializer ? v.initializer.dims : undefined;
}

function nodeMacs(node: Node, dynamic: Set<string>): number | undefined {
  const { num, prod } = dimCounter(dynamic);
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

/** TFLite operators (NHWC; weights OHWI, depthwise 1HW(C·m)) from their declared shapes. */
function tfliteMacs(node: Node, dynamic: Set<string>): number | undefined {
  const { num, prod } = dimCounter(dynamic);
  const output = shapeOf(node.outputs[0]);
  switch (node.opType) {
    case 'CONV_2D': {
      const w = shapeOf(node.inputs[1]);
      return w && output ? prod(output) * prod(w.slice(1)) : undefined;
    }
    case 'DEPTHWISE_CONV_2D': {
      const w = shapeOf(node.inputs[1]);
      return w && output ? prod(output) * prod(w.slice(1, 3)) : undefined;
    }
    case 'TRANSPOSE_CONV': {
      const w = shapeOf(node.inputs[1]);
      const x = shapeOf(node.inputs[2]);
      return w && x ? prod(x) * prod(w.slice(0, 3)) : undefined;
    }
    case 'FULLY_CONNECTED': {
      const w = shapeOf(node.inputs[1]);
      return w && output ? prod(output) * num(w[w.length - 1]) : undefined;
    }
    case 'UNIDIRECTIONAL_SEQUENCE_LSTM': {
      // Input [T,B,I] or [B,T,I]; input-to-cell weights (input 2) [H,I], recurrent (input 6) [H,H].
      const x = shapeOf(node.inputs[0]);
      const w = shapeOf(node.inputs[2]);
      const r = shapeOf(node.inputs[6]);
      return x && w && r ? prod(x.slice(0, -1)) * 4 * num(w[0]) * (num(w[1]) + num(r[1])) : undefined;
    }
    case 'BATCH_MATMUL': {
      const a = shapeOf(node.inputs[0]);
      return a && output ? prod(output) * num(a[a.length - 1]) : undefined;
    }
  }
  return undefined;
}
