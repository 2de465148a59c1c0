import type { DType } from '../../ir/dtype';
import type { Graph } from '../../ir/graph';
import type { Model } from '../../ir/model';
import { inferShapes } from '../../ir/shape-inference';
import type { Node } from '../../ir/node';
import type { Dim } from '../../ir/shape';
import type { Value } from '../../ir/value';
import { constantTensor } from './constants';
import { modelGraphs } from './graph-walk';

/** The declared tensor shape of `v`, when its rank is known. */
export function shapeOf(v: Value | undefined): Dim[] | undefined {
  const t = v?.type;
  if (v?.initializer) return [...v.initializer.dims];
  return t && (t.kind === 'tensor' || t.kind === 'sparse-tensor') ? t.shape : undefined;
}

/** The declared element type of `v`, when known. */
export function dtypeOf(v: Value | undefined): DType | undefined {
  if (v?.initializer) return v.initializer.dtype;
  const t = v?.type;
  return t && (t.kind === 'tensor' || t.kind === 'sparse-tensor') ? t.dtype : undefined;
}

/**
 * The rank of `v`: from its declared type, else from a producer whose output rank is fixed
 * (Flatten and Gemm give 2, Reshape by a constant shape gives that shape's length).
 */
export function rankOf(graph: Graph, v: Value | undefined, producers: Map<Value, Node>): number | undefined {
  const shape = shapeOf(v);
  if (shape) return shape.length;
  const p = v ? producers.get(v) : undefined;
  if (!p || p.domain !== '') return undefined;
  if (p.opType === 'Flatten' || p.opType === 'Gemm') return 2;
  if (p.opType === 'Reshape') {
    const s = constantTensor(graph, p.inputs[1], producers);
    if (s) return s.elementCount;
    const length = shapeOf(p.inputs[1]);
    if (length?.length === 1 && typeof length[0] === 'number') return length[0];
    return p.ints('shape')?.length;
  }
  if (['MatMul', 'Add', 'Sub', 'Mul', 'Div'].includes(p.opType)) {
    const ranks = p.inputs.map((i) => rankOf(graph, i, producers));
    // MatMul of a 1-D operand drops that dimension; otherwise the result has the larger rank.
    const matrices = p.opType !== 'MatMul' || ranks.every((r) => r !== undefined && r >= 2);
    if (matrices && ranks.every((r) => r !== undefined)) return Math.max(...(ranks as number[]));
  }
  const sameRank = [
    'Relu',
    'Sigmoid',
    'Tanh',
    'Clip',
    'Dropout',
    'Identity',
    'BatchNormalization',
    'Softmax',
    'Conv',
    'MaxPool',
    'AveragePool',
    'LRN',
    'Cast',
  ];
  if (sameRank.includes(p.opType)) return rankOf(graph, p.inputs[0], producers);
  return undefined;
}

/**
 * Runs the IR's shape inference and returns a function that forgets what it inferred (for code
 * that needs ranks of a graph whose operators are about to change meaning, e.g. an opset upgrade).
 */
export function inferShapesTemporarily(model: Model): () => void {
  const untyped: Value[] = [];
  for (const g of modelGraphs(model)) {
    for (const v of [...g.inputs, ...g.outputs]) if (!v.type) untyped.push(v);
    for (const n of g.nodes) for (const o of n.outputs) if (o && !o.type) untyped.push(o);
  }
  inferShapes(model);
  return () => {
    for (const v of untyped) v.type = undefined;
  };
}
