/**
 * Gemm: Y = α·A′·B′ + β·C, with A′ = transA ? Aᵀ : A and B′ = transB ? Bᵀ : B.
 *
 *   dA′ = α·dY·B′ᵀ   → dA = dA′, or dA′ᵀ = α·B′·dYᵀ when transA
 *   dB′ = α·A′ᵀ·dY   → dB = dB′, or dB′ᵀ = α·dYᵀ·A′ when transB
 *   dC  = β·Σ_broadcast dY
 * Each product is one Gemm with the transposes as its flags.
 */
import { floatAttr, intAttr } from '../../passes/util/attributes';
import { reduceToShape } from '../broadcast';
import { defineRule } from '../rule';

export const gemmRule = defineRule({
  ops: ['Gemm'],
  backward(c) {
    const { e, wants, node } = c;
    const a = c.input(0);
    const b = c.input(1);
    const dy = c.gradOf(0);
    const transA = node.int('transA', 0) === 1;
    const transB = node.int('transB', 0) === 1;
    const alpha = node.float('alpha', 1);
    const beta = node.float('beta', 1);
    const gemm = (x: typeof a, y: typeof a, tx: boolean, ty: boolean) =>
      e.op('Gemm', [x, y], { alpha: floatAttr(alpha), transA: intAttr(tx ? 1 : 0), transB: intAttr(ty ? 1 : 0) });
    const da = wants[0] ? (transA ? gemm(b, dy, transB, true) : gemm(dy, b, false, !transB)) : undefined;
    const db = wants[1] ? (transB ? gemm(dy, a, true, transA) : gemm(a, dy, !transA, false)) : undefined;
    let dc;
    if (wants[2] && node.inputs[2]) {
      const reduced = reduceToShape(e, dy, c.output(0), c.input(2));
      dc = beta === 1 ? reduced : e.mul(reduced, e.floats(beta));
    }
    return [da, db, dc];
  },
});
