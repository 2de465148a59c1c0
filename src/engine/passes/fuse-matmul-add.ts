/**
 * fuse-matmul-add: a matrix product followed by adding a constant bias becomes one Gemm.
 *
 *   A[M,K] ─ MatMul(W[K,N]) ─ Add(b) ─ Y      →      A ─ Gemm(W, b) ─ Y      (Y = A·W + b)
 *
 * Only where A is known to be 2-D and b broadcasts as [N], [1,N] or [M,N].
 */
import { z } from 'zod';
import type { Graph } from '../ir/graph';
import { Node } from '../ir/node';
import type { Value } from '../ir/value';
import { definePass } from './pass';
import { constantTensor } from './util/constants';
import { modelGraphs } from './util/graph-walk';
import { declined, matched, type Match } from './util/match';
import { Skips } from './util/skips';
import { rankOf, shapeOf } from './util/shapes';

const GEMM_TYPES = new Set(['float32', 'float64', 'float16']);

// True when a constant of `dims` broadcasts to the [M, N] result (M may be unknown).
function biasFits(dims: number[], m: number | string | null | undefined, n: number): boolean {
  if (dims.length > 2) return false;
  const [rows, cols] = dims.length === 2 ? dims : [1, dims[0] ?? 1];
  return (cols === 1 || cols === n) && (rows === 1 || rows === m);
}

// The Gemm that replaces MatMul `mm` + `add` (bias `bias`), or why the pair stays.
function gemmFor(graph: Graph, mm: Node, add: Node, bias: Value | undefined): Match<Node> {
  const [a, w] = mm.inputs;
  const y = add.outputs[0];
  const wt = constantTensor(graph, w);
  const bt = constantTensor(graph, bias);
  const n = wt?.dims[1];
  if (!a || !y) return declined('an input or output is missing');
  if (!wt || n === undefined || wt.dims.length !== 2) return declined('the matrix is not a 2-D constant');
  if (!GEMM_TYPES.has(wt.dtype)) return declined(`Gemm does not take ${wt.dtype} matrices`);
  if (!bt || bt.dtype !== wt.dtype) return declined('the added value is not a constant of the same type');
  if (rankOf(graph, a) !== 2) return declined('the data is not known to be a 2-D matrix');
  if (!biasFits(bt.dims, shapeOf(a)?.[0], n)) return declined('the added value does not broadcast as a bias');
  return matched(new Node('Gemm', [a, w, bias], [y], { name: add.name || mm.name }));
}

function fuseInGraph(graph: Graph, opset: number, skips: Skips): number {
  let fused = 0;
  for (const add of [...graph.nodes]) {
    if (add.opType !== 'Add' || add.domain !== '' || !add.outputs[0] || opset < 7) continue;
    for (const [mmOut, bias] of [
      [add.inputs[0], add.inputs[1]],
      [add.inputs[1], add.inputs[0]],
    ] as [Value | undefined, Value | undefined][]) {
      const mm = graph.producerOf(mmOut);
      if (!mm || !mmOut || mm.opType !== 'MatMul' || mm.domain !== '') continue;
      if (graph.useCount(mmOut) !== 1) {
        skips.add(mm, 'its result is also used without the addition');
        continue;
      }
      const gemm = gemmFor(graph, mm, add, bias);
      if (!gemm.ok) {
        skips.add(mm, gemm.reason);
        continue;
      }
      graph.replaceNode(add, [gemm.value]);
      graph.removeNode(mm);
      fused++;
      break;
    }
  }
  return fused;
}

/** Turns MatMul followed by a constant Add into one Gemm. */
export const fuseMatmulAdd = definePass({
  name: 'fuse-matmul-add',
  title: 'Merge matrix multiply and bias',
  description:
    'A fully connected layer stored as a matrix multiplication followed by adding a bias becomes a single ' +
    'operation (Gemm) that runtimes execute in one step. Only done where the data is known to be a 2-D matrix.',
  options: z.object({}),
  formats: ['onnx'],
  run(model) {
    const skips = new Skips();
    let fused = 0;
    for (const graph of modelGraphs(model)) fused += fuseInGraph(graph, model.opsetVersion('') ?? 0, skips);
    return { changed: fused > 0, stats: { matMulAddFused: fused }, skipped: skips.list };
  },
});
