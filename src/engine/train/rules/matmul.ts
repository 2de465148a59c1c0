/**
 * MatMul with numpy broadcasting of the batch axes and 1-D operands.
 *
 *   Y = A·B              A [..., M, K], B [..., K, N]
 *   dA = Σ_broadcast dY·Bᵀ
 *   dB = Σ_broadcast Aᵀ·dY
 * A 1-D A is a row [1, K] (dY gains the M axis back), a 1-D B a column [K, 1].
 */
import { LitheError } from '../../errors';
import type { Dim } from '../../ir/shape';
import type { Value } from '../../ir/value';
import type { Emitter } from '../emitter';
import { defineRule } from '../rule';

function swapLast(e: Emitter, v: Value, rank: number): Value {
  const perm = Array.from({ length: rank }, (_, i) => i);
  perm[rank - 1] = rank - 2;
  perm[rank - 2] = rank - 1;
  return e.transpose(v, perm);
}

export const matmulRule = defineRule({
  ops: ['MatMul'],
  backward(c) {
    const { e, wants } = c;
    const a = c.input(0);
    const b = c.input(1);
    const y = c.output(0);
    const ra = e.dims(a)?.length;
    const rb = e.dims(b)?.length;
    const ry = e.dims(y)?.length;
    if (ra === undefined || rb === undefined || ry === undefined) throw c.refuse('the ranks of its operands are not known');
    // Work with ≥ 2-D operands: a 1-D A is [1, K], a 1-D B is [K, 1]; dY gets the dropped axes back.
    let dy = c.gradOf(0);
    if (ra === 1 && rb === 1) dy = e.unsqueeze(dy, [0, 1]);
    else if (ra === 1) dy = e.unsqueeze(dy, [ry - 1]);
    else if (rb === 1) dy = e.unsqueeze(dy, [ry]);
    const a2 = ra === 1 ? e.unsqueeze(a, [0]) : a;
    const b2 = rb === 1 ? e.unsqueeze(b, [1]) : b;
    const batch = (e.dims(y) ?? []).slice(0, Math.max(ra, rb) - 2);
    const da = wants[0] ? toOperand(e, e.op('MatMul', [dy, swapLast(e, b2, Math.max(rb, 2))]), a, batch) : undefined;
    const db = wants[1] ? toOperand(e, e.op('MatMul', [swapLast(e, a2, Math.max(ra, 2)), dy]), b, batch) : undefined;
    return [da, db];
  },
});

// Sums a product [...batch, r, c] down to the operand: the batch axes it lacks or has as 1 (a 1-D operand keeps only its vector).
function toOperand(e: Emitter, product: Value, operand: Value, batch: readonly Dim[]): Value {
  const dims = e.dims(operand);
  if (!dims) throw new LitheError('unsupported', `the shape of "${operand.name}" is unknown`);
  const own = dims.length === 1 ? [] : dims.slice(0, -2);
  const lead = batch.length - own.length;
  const axes = Array.from({ length: lead }, (_, i) => i);
  own.forEach((d, i) => {
    if (d === null) throw new LitheError('unsupported', `a batch axis of "${operand.name}" has an unknown size`);
    if (d === 1 && batch[i + lead] !== 1) axes.push(i + lead);
  });
  if (axes.length === 0 && dims.length > 1) return product;
  const summed = axes.length ? e.reduceSum(product, axes, true) : product;
  return e.reshapeLike(summed, operand);
}
