/**
 * Unary elementwise operators.
 *
 *   Neg: −dY          Exp: dY·Y             Log: dY / X           Sqrt: dY / (2·Y)
 *   Reciprocal: −dY·Y²                      Abs: dY·sign(X)       Identity: dY
 *   Erf: dY·(2/√π)·e^(−X²)                  Softplus: dY·σ(X)     Cast (float→float): Cast(dY) back
 */
import { intAttr } from '../../passes/util/attributes';
import { dtypeToOnnx } from '../../formats/onnx/dtype-map';
import { defineRule } from '../rule';

export const elementwiseUnaryRule = defineRule({
  ops: ['Neg', 'Exp', 'Log', 'Sqrt', 'Reciprocal', 'Abs', 'Identity', 'Erf', 'Softplus', 'Cast'],
  backward(c) {
    const { e, node } = c;
    const x = c.input(0);
    const y = c.output(0);
    const dy = c.gradOf(0);
    switch (node.opType) {
      case 'Neg':
        return [e.neg(dy)];
      case 'Exp':
        return [e.mul(dy, y)];
      case 'Log':
        return [e.div(dy, x)];
      case 'Sqrt':
        return [e.div(dy, e.mul(y, e.floats(2)))];
      case 'Reciprocal':
        return [e.neg(e.mul(dy, e.mul(y, y)))];
      case 'Abs':
        return [e.mul(dy, e.op('Sign', [x]))];
      case 'Erf':
        return [e.mul(dy, e.mul(e.floats(2 / Math.sqrt(Math.PI)), e.op('Exp', [e.neg(e.mul(x, x))])))];
      case 'Softplus':
        return [e.mul(dy, e.op('Sigmoid', [x]))];
      case 'Cast': {
        const from = x.type?.kind === 'tensor' ? x.type.dtype : undefined;
        if (!from?.startsWith('float')) throw c.refuse('only a cast between float types carries a gradient');
        return [e.op('Cast', [dy], { to: intAttr(dtypeToOnnx(from)) })];
      }
      default:
        return [dy];
    }
  },
});
