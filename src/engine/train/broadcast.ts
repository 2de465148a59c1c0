import { LitheError } from '../errors';
import type { Dim } from '../ir/shape';
import type { Value } from '../ir/value';
import type { Emitter } from './emitter';
import { intAttr } from '../passes/util/attributes';

/**
 * Sums a gradient shaped like a broadcast result (`result`) down to the shape of one operand:
 * over the leading axes the operand lacks and over the axes where it has size 1. Static shapes give
 * constant axes; an operand dimension of unknown size makes the axes a run-time computation.
 */
export function reduceToShape(e: Emitter, grad: Value, result: Value, operand: Value): Value {
  const yd = e.dims(result);
  const xd = e.dims(operand);
  if (!yd || !xd) throw new LitheError('unsupported', `the rank of "${(yd ? operand : result).name}" is unknown`);
  if (xd.length > yd.length) throw new LitheError('unsupported', `"${operand.name}" has more dimensions than the result`);
  const lead = yd.length - xd.length;
  const axes: number[] = Array.from({ length: lead }, (_, i) => i);
  let dynamic = false;
  xd.forEach((x, i) => {
    const y = yd[i + lead];
    if (x === 1 && y !== 1) axes.push(i + lead);
    else if (x === null) dynamic = true;
  });
  if (dynamic) return reduceDynamic(e, grad, yd, operand, xd.length);
  if (axes.length === 0) return grad;
  const summed = e.reduceSum(grad, axes, true);
  return sameDims(dropLeading(yd, axes, lead), xd) && lead === 0 ? summed : e.reshapeLike(summed, operand);
}

function dropLeading(yd: readonly Dim[], axes: readonly number[], lead: number): Dim[] {
  return yd.map((d, i) => (axes.includes(i) ? 1 : d)).slice(lead);
}

function sameDims(a: readonly Dim[], b: readonly Dim[]): boolean {
  return a.length === b.length && a.every((d, i) => d !== null && d === b[i]);
}

// Axes computed at run time: where the operand's (left-padded) shape is 1 and the result's is not.
function reduceDynamic(e: Emitter, grad: Value, yd: readonly Dim[], operand: Value, rank: number): Value {
  const lead = yd.length - rank;
  const padded =
    lead > 0 ? e.op('Concat', [e.ints(new Array<number>(lead).fill(1)), e.shape(operand)], { axis: intAttr(0) }) : e.shape(operand);
  const one = e.ints([1], []);
  const mask = e.op('And', [e.op('Equal', [padded, one]), e.op('Not', [e.op('Equal', [e.shape(grad), one])])]);
  const axes = e.op('Reshape', [e.op('NonZero', [mask]), e.ints([-1])]);
  const summed = e.op('ReduceSum', [grad, axes], { keepdims: intAttr(1), noop_with_empty_axes: intAttr(1) });
  return e.op('Reshape', [summed, e.shape(operand)]);
}
