/**
 * Binary elementwise operators with numpy broadcasting; each gradient is summed back to its
 * operand's shape (Σ_broadcast, see broadcast.ts).
 *
 *   Add: dA = dY,        dB = dY
 *   Sub: dA = dY,        dB = −dY
 *   Mul: dA = dY·B,      dB = dY·A
 *   Div: dA = dY / B,    dB = −dY·Y / B
 *   Pow: dA = dY·B·A^(B−1),  dB = dY·Y·ln A
 *   Max/Min: the gradient goes to the operand that was chosen (A on ties)
 */
import type { Value } from '../../ir/value';
import { reduceToShape } from '../broadcast';
import type { Emitter } from '../emitter';
import { defineRule } from '../rule';

type Pair = [Value | undefined, Value | undefined];

function local(e: Emitter, op: string, a: Value, b: Value, y: Value, dy: Value, wants: readonly boolean[]): Pair {
  switch (op) {
    case 'Add':
      return [dy, dy];
    case 'Sub':
      return [dy, wants[1] ? e.neg(dy) : undefined];
    case 'Mul':
      return [wants[0] ? e.mul(dy, b) : undefined, wants[1] ? e.mul(dy, a) : undefined];
    case 'Div':
      return [wants[0] ? e.div(dy, b) : undefined, wants[1] ? e.neg(e.div(e.mul(dy, y), b)) : undefined];
    case 'Pow': {
      const da = wants[0] ? e.mul(dy, e.mul(b, e.op('Pow', [a, e.sub(b, e.floats(1))]))) : undefined;
      const db = wants[1] ? e.mul(e.mul(dy, y), e.op('Log', [a])) : undefined;
      return [da, db];
    }
    default: {
      // Max / Min: A wins where it equals the result.
      const zero = e.floats(0);
      const fromA = e.op('Equal', [a, y]);
      return [wants[0] ? e.op('Where', [fromA, dy, zero]) : undefined, wants[1] ? e.op('Where', [fromA, zero, dy]) : undefined];
    }
  }
}

export const elementwiseBinaryRule = defineRule({
  ops: ['Add', 'Sub', 'Mul', 'Div', 'Pow', 'Max', 'Min'],
  backward(c) {
    const { e, node, wants } = c;
    if ((node.opType === 'Max' || node.opType === 'Min') && node.inputs.length !== 2)
      throw c.refuse('only the two-operand form is supported');
    const a = c.input(0);
    const b = c.input(1);
    const y = c.output(0);
    const [da, db] = local(e, node.opType, a, b, y, c.gradOf(0), wants);
    return [wants[0] && da ? reduceToShape(e, da, y, a) : undefined, wants[1] && db ? reduceToShape(e, db, y, b) : undefined];
  },
});

/** Sum (variadic Add): every operand gets the output gradient, summed to its shape. */
export const sumRule = defineRule({
  ops: ['Sum'],
  backward(c) {
    const y = c.output(0);
    const dy = c.gradOf(0);
    return c.node.inputs.map((v, i) => (v && c.wants[i] ? reduceToShape(c.e, dy, y, v) : undefined));
  },
});
