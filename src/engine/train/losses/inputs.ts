import type { DType } from '../../ir/dtype';
import type { Dim } from '../../ir/shape';
import { Value } from '../../ir/value';
import { freshName } from '../../passes/util/graph-walk';
import { intAttr } from '../../passes/util/attributes';
import type { Emitter } from '../emitter';

/** Adds a graph input fed with every batch (labels, teacher outputs, targets). */
export function batchInput(e: Emitter, base: string, dtype: DType, shape: Dim[] | undefined): Value {
  const v = e.graph.define(new Value(freshName(e.graph, base), { kind: 'tensor', dtype, ...(shape ? { shape } : {}) }));
  e.graph.inputs.push(v);
  return v;
}

/** The number of elements of `v` as a float scalar. */
export function floatCount(e: Emitter, v: Value): Value {
  return e.op('Cast', [e.op('Size', [v])], { to: intAttr(e.float === 'float64' ? 11 : 1) });
}

/** The size of axis 1 (classes) of `v` as a float scalar. */
export function classCount(e: Emitter, v: Value): Value {
  const d = e.dims(v)?.[1];
  if (typeof d === 'number') return e.floats(d);
  return e.op('Cast', [e.op('Gather', [e.shape(v), e.ints([1], [])], { axis: intAttr(0) })], {
    to: intAttr(e.float === 'float64' ? 11 : 1),
  });
}

/** Σ over every element, as a scalar. */
export function sumAll(e: Emitter, v: Value): Value {
  return e.op('ReduceSum', [v], { keepdims: intAttr(0) });
}

/**
 * The class scores behind an output: the input of a final Softmax/LogSoftmax over axis 1 (so
 * losses stay exact and stable), else the output itself.
 */
export function logitsOf(
  e: Emitter,
  output: Value,
  producer: { opType: string; inputs: (Value | undefined)[]; axis?: number } | undefined,
): Value {
  const rank = e.dims(output)?.length;
  const overClasses = producer?.axis === 1 || (producer?.axis === -1 && rank === 2);
  if (producer && overClasses && (producer.opType === 'Softmax' || producer.opType === 'LogSoftmax') && producer.inputs[0])
    return producer.inputs[0];
  return output;
}
