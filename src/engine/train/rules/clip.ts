/**
 * Clip: Y = min(max(X, lo), hi).
 *
 *   dX = dY·[lo ≤ X ≤ hi]      (bounds absent: unbounded on that side)
 * The bounds (inputs 1 and 2) are treated as constants.
 */
import { defineRule } from '../rule';

export const clipRule = defineRule({
  ops: ['Clip'],
  constantInputs: [1, 2],
  backward(c) {
    const { e, node } = c;
    const x = c.input(0);
    let inside: ReturnType<typeof e.op> | undefined;
    const lo = node.inputs[1];
    const hi = node.inputs[2];
    if (lo) inside = e.op('GreaterOrEqual', [x, lo]);
    if (hi) {
      const below = e.op('LessOrEqual', [x, hi]);
      inside = inside ? e.op('And', [inside, below]) : below;
    }
    const dy = c.gradOf(0);
    return [inside ? e.op('Where', [inside, dy, e.floats(0)]) : dy];
  },
});
