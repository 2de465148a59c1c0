import type { Value } from '../ir/value';
import { intAttr, stringAttr } from '../passes/util/attributes';
import type { Emitter } from './emitter';

/**
 * Gradient of a data-movement operator (Slice, Gather, Pad, …) through an index map: the forward
 * operator applied to `[0, 1, …, n−1]` shaped like its input says, for every output element, which
 * input element it came from; the output gradient is then scatter-added into zeros at those indices.
 * One exact formula for every stride, axis, negative index and pad mode.
 *
 *   map = Reshape(Range(0, n), shape(x));  idx = op(map)
 *   dx  = Reshape(ScatterElements(zeros[n], flat(idx), flat(dy), reduction=add), shape(x))
 *
 * With `sentinel`, positions that come from no input (constant padding) carry index n and land
 * in one extra slot that is dropped.
 */
export function scatterThroughIndexMap(
  e: Emitter,
  source: Value,
  grad: Value,
  move: (indexMap: Value, sentinel: Value) => Value,
  sentinel = false,
): Value {
  const count = elementCount(e, source);
  const map = e.op('Reshape', [e.op('Range', [e.ints([0], []), count, e.ints([1], [])]), e.shapeOf(source)]);
  return scatterAdd(e, source, move(map, count), grad, sentinel ? count : undefined);
}

/** Scatter-adds `grad` into zeros shaped like `source` at the flat indices `indices` (same shape as `grad`). */
export function scatterAdd(e: Emitter, source: Value, indices: Value, grad: Value, sentinel?: Value): Value {
  const flat = e.ints([-1]);
  const count = sentinel ? e.add(sentinel, e.ints([1], [])) : elementCount(e, source);
  const zeros = e.op('ConstantOfShape', [e.op('Reshape', [count, flat])], { value: { kind: 'tensor', value: e.zeroTensor() } });
  const scattered = e.op('ScatterElements', [zeros, e.op('Reshape', [indices, flat]), e.op('Reshape', [grad, flat])], {
    axis: intAttr(0),
    reduction: stringAttr('add'),
  });
  const kept = sentinel ? e.op('Slice', [scattered, e.ints([0]), e.op('Reshape', [sentinel, flat])]) : scattered;
  return e.op('Reshape', [kept, e.shapeOf(source)]);
}

/** The number of elements of `v` as an int64 scalar (a constant when its shape is static). */
export function elementCount(e: Emitter, v: Value): Value {
  const dims = e.staticDims(v);
  if (dims) return e.ints([dims.reduce((a, b) => a * b, 1)], []);
  return e.op('ReduceProd', [e.shape(v)], { keepdims: intAttr(0) });
}
