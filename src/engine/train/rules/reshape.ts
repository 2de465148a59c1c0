/**
 * Operators that only change the shape: the gradient is the output gradient in the input's shape.
 *
 *   Reshape / Flatten / Squeeze / Unsqueeze:  dX = Reshape(dY, shape(X))
 *   Expand:                                   dX = Σ_broadcast dY
 *   Transpose(perm):                          dX = Transpose(dY, perm⁻¹)
 */
import { reduceToShape } from '../broadcast';
import { defineRule } from '../rule';

export const reshapeRule = defineRule({
  ops: ['Reshape', 'Flatten', 'Squeeze', 'Unsqueeze', 'Expand'],
  constantInputs: [1],
  backward(c) {
    const x = c.input(0);
    const dy = c.gradOf(0);
    if (c.node.opType === 'Expand') return [reduceToShape(c.e, dy, c.output(0), x)];
    return [c.e.reshapeLike(dy, x)];
  },
});

export const transposeRule = defineRule({
  ops: ['Transpose'],
  backward(c) {
    const { e } = c;
    const rank = e.dims(c.input(0))?.length;
    const perm = c.node.ints('perm') ?? (rank === undefined ? undefined : Array.from({ length: rank }, (_, i) => rank - 1 - i));
    if (!perm) throw c.refuse('it has no perm and the rank of its input is not known');
    const inverse = new Array<number>(perm.length);
    perm.forEach((p, i) => (inverse[p] = i));
    return [e.transpose(c.gradOf(0), inverse)];
  },
});
