/**
 * Fake quantization (QuantizeLinear → DequantizeLinear) with the straight-through estimator
 * clipped to the range. Gradients through the integer tensor are kept in real units:
 *
 *   q = clamp(round(X/s) + z, qmin, qmax),   Y = (q − z)·s
 *   DequantizeLinear: dq = dY
 *   QuantizeLinear:   dX = dq·[qmin − ½ ≤ X/s + z ≤ qmax + ½]     (per tensor or per axis)
 * Scales and zero points are constants (calibrated, or set by the training loop each step).
 */
import type { DType } from '../../ir/dtype';
import type { Value } from '../../ir/value';
import { qRange } from '../../quantize/quant-math';
import type { Emitter } from '../emitter';
import { defineRule } from '../rule';

function alongAxis(e: Emitter, v: Value, rank: number, axis: number): Value {
  const dims = e.dims(v);
  if (!dims || dims.length === 0 || rank <= 1) return v;
  const a = axis < 0 ? axis + rank : axis;
  return e.unsqueeze(
    v,
    Array.from({ length: rank }, (_, i) => i).filter((i) => i !== a),
  );
}

function integerType(zero: Value | undefined, output: Value): DType {
  const t = zero?.initializer?.dtype ?? (output.type?.kind === 'tensor' ? output.type.dtype : undefined);
  return t ?? 'uint8';
}

export const quantizeLinearRule = defineRule({
  ops: ['QuantizeLinear', 'DequantizeLinear'],
  constantInputs: [1, 2],
  backward(c) {
    const { e, node } = c;
    const dy = c.gradOf(0);
    if (node.opType === 'DequantizeLinear') return [dy];
    if (node.int('block_size', 0) > 0) throw c.refuse('blocked quantization is not supported');
    const x = c.input(0);
    const rank = e.dims(x)?.length;
    if (rank === undefined) throw c.refuse('the rank of its input is not known');
    const axis = node.int('axis', 1);
    const type = integerType(node.inputs[2], c.output(0));
    if (!['int8', 'uint8', 'int16', 'uint16', 'int4', 'uint4'].includes(type)) throw c.refuse(`${type} quantization is not supported`);
    const [qmin, qmax] = type === 'int16' ? [-32768, 32767] : type === 'uint16' ? [0, 65535] : qRange(type as 'int8');
    const scale = e.op('CastLike', [alongAxis(e, c.input(1), rank, axis), x]);
    const zero = node.inputs[2] ? e.op('CastLike', [alongAxis(e, node.inputs[2], rank, axis), x]) : e.floats(0);
    const r = e.add(e.div(x, scale), zero);
    const inside = e.op('And', [e.op('GreaterOrEqual', [r, e.floats(qmin - 0.5)]), e.op('LessOrEqual', [r, e.floats(qmax + 0.5)])]);
    return [e.op('Where', [inside, dy, e.floats(0)])];
  },
});
