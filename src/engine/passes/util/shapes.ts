import type { DType } from '../../ir/dtype';
import type { Graph } from '../../ir/graph';
import type { Model } from '../../ir/model';
import { forgetInferredTypes, inferShapes } from '../../ir/shape-inference';
import type { Dim } from '../../ir/shape';
import type { Value } from '../../ir/value';
import { constantTensor } from './constants';

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
export function rankOf(graph: Graph, v: Value | undefined): number | undefined {
  const shape = shapeOf(v);
  if (shape) return shape.length;
  const p = v?.producer;
  if (!p || p.domain !== '') return undefined;
  if (p.opType === 'Flatten' || p.opType === 'Gemm') return 2;
  if (p.opType === 'Reshape') {
    const s = constantTensor(graph, p.inputs[1]);
    if (s) return s.elementCount;
    const length = shapeOf(p.inputs[1]);
    if (length?.length === 1 && typeof length[0] === 'number') return length[0];
    return p.ints('shape')?.length;
  }
  if (['MatMul', 'Add', 'Sub', 'Mul', 'Div'].includes(p.opType)) {
    const ranks = p.inputs.map((i) => rankOf(graph, i));
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
  if (sameRank.includes(p.opType)) return rankOf(graph, p.inputs[0]);
  return undefined;
}

/**
 * Runs the IR's shape inference and returns a function that forgets every inferred type again (for
 * code that needs ranks of a graph whose operators are about to change meaning, e.g. an opset upgrade).
 */
export function inferShapesTemporarily(model: Model): () => void {
  inferShapes(model);
  return () => {
    forgetInferredTypes(model);
  };
}
