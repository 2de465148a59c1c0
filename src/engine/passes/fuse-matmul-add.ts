import { z } from 'zod';
import type { Graph } from '../ir/graph';
import { Node } from '../ir/node';
import type { Value } from '../ir/value';
import { definePass } from './pass';
import { constantTensor } from './util/constants';
import { useCounts } from './util/graph-walk';
import { rankOf, shapeOf } from './util/shapes';

const GEMM_TYPES = new Set(['float32', 'float64', 'float16']);

// True when a constant of `dims` broadcasts to the [M, N] result (M may be unknown).
function biasFits(dims: number[], m: number | string | null | undefined, n: number): boolean {
  if (dims.length > 2) return false;
  const [rows, cols] = dims.length === 2 ? dims : [1, dims[0] ?? 1];
  return (cols === 1 || cols === n) && (rows === 1 || rows === m);
}

function fuseInGraph(graph: Graph, opset: number): number {
  const producers = graph.producers();
  const counts = useCounts(graph);
  const removed = new Set<Node>();
  graph.nodes = graph.nodes.map((add) => {
    if (add.opType !== 'Add' || add.domain !== '' || !add.outputs[0] || opset < 7) return add;
    for (const [mmOut, bias] of [
      [add.inputs[0], add.inputs[1]],
      [add.inputs[1], add.inputs[0]],
    ] as [Value | undefined, Value | undefined][]) {
      const mm = mmOut ? producers.get(mmOut) : undefined;
      if (!mm || mm.opType !== 'MatMul' || mm.domain !== '' || removed.has(mm) || counts.get(mmOut as Value) !== 1) continue;
      const [a, w] = mm.inputs;
      const wt = constantTensor(graph, w, producers);
      const bt = constantTensor(graph, bias, producers);
      const n = wt?.dims[1];
      if (!a || !wt || !bt || n === undefined || wt.dims.length !== 2 || !GEMM_TYPES.has(wt.dtype) || bt.dtype !== wt.dtype) continue;
      if (rankOf(graph, a, producers) !== 2 || !biasFits(bt.dims, shapeOf(a)?.[0], n)) continue;
      removed.add(mm);
      const gemm = new Node('Gemm', [a, w, bias], [add.outputs[0]], { name: add.name || mm.name });
      return gemm;
    }
    return add;
  });
  graph.nodes = graph.nodes.filter((n) => !removed.has(n));
  for (const mm of removed) graph.annotated = graph.annotated.filter((v) => v !== mm.outputs[0]);
  return removed.size;
}

/** Turns MatMul followed by a constant Add into one Gemm. */
export const fuseMatmulAdd = definePass({
  name: 'fuse-matmul-add',
  title: 'Merge matrix multiply and bias',
  description:
    'A fully connected layer stored as a matrix multiplication followed by adding a bias becomes a single ' +
    'operation (Gemm) that runtimes execute in one step. Only done where the data is known to be a 2-D matrix.',
  options: z.object({}),
  run(model) {
    const fused = fuseInGraph(model.graph, model.opsetVersion('') ?? 0);
    return { changed: fused > 0, stats: { matMulAddFused: fused } };
  },
});
