import type { DType } from '../../ir/dtype';
import type { Graph } from '../../ir/graph';
import type { Node } from '../../ir/node';
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
export function rankOf(graph: Graph, v: Value | undefined, producers: Map<Value, Node>): number | undefined {
  const shape = shapeOf(v);
  if (shape) return shape.length;
  const p = v ? producers.get(v) : undefined;
  if (!p || p.domain !== '') return undefined;
  if (p.opType === 'Flatten' || p.opType === 'Gemm') return 2;
  if (p.opType === 'Reshape') {
    const s = constantTensor(graph, p.inputs[1], producers);
    if (s) return s.elementCount;
    return p.ints('shape')?.length;
  }
  const sameRank = ['Relu', 'Sigmoid', 'Tanh', 'Clip', 'Dropout', 'Identity', 'BatchNormalization', 'Softmax', 'Conv', 'MaxPool', 'AveragePool', 'LRN', 'Cast'];
  if (sameRank.includes(p.opType)) return rankOf(graph, p.inputs[0], producers);
  return undefined;
}
