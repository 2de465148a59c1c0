// Gemm and MatMul: FULLY_CONNECTED when the right-hand matrix is a constant, BATCH_MATMUL otherwise.
import type { Value } from '../../../../ir/value';
import { cannot } from '../op-context';
import { permuteData } from '../tflite-emitter';
import type { OnnxOpContext } from './context';
import { constantNumbers, narrowedBytes } from './narrow';
import type { OnnxConverter } from './ops-elementwise';

/** FULLY_CONNECTED weights [units, inner] from a constant 2-D matrix, scaled by `alpha`. */
function fcWeights(ctx: OnnxOpContext, i: number, transposed: boolean, alpha: number): { weights: Value; units: number } {
  const t = ctx.constant(i) ?? cannot('the weight matrix must be a constant');
  const { dtype, bytes } = narrowedBytes(t);
  if (dtype !== 'float32' || t.dims.length !== 2) cannot('the weight matrix must be a 2-D float constant');
  const [rows = 1, cols = 1] = t.dims;
  // ONNX multiplies by B [inner, units] (or Bᵀ when transB); FULLY_CONNECTED wants [units, inner]
  let data = transposed ? bytes : permuteData(bytes, t.dims, [1, 0], 4);
  if (alpha !== 1) data = new Uint8Array(Float32Array.from(new Float32Array(new Uint8Array(data).buffer), (v) => v * alpha).buffer);
  const units = transposed ? rows : cols;
  const inner = transposed ? cols : rows;
  return { weights: ctx.em.constant(`${t.name}_fc`, 'float32', [units, inner], data), units };
}

function gemm(ctx: OnnxOpContext): void {
  const { node, em, base } = ctx;
  const alpha = node.float('alpha', 1);
  const beta = node.float('beta', 1);
  const transB = node.int('transB', 0) !== 0;
  const [m = 1, n = 1] = ctx.outShape(0);
  const a = node.int('transA', 0) ? ctx.transpose(ctx.input(0), ctx.shape(0), [1, 0]) : ctx.input(0);
  // a constant C of n values (or one) is a bias; any other C is added after the product
  const c = ctx.has(2) ? ctx.constant(2) : undefined;
  const cShape = ctx.has(2) ? ctx.shape(2) : [];
  const cCount = cShape.reduce((x, y) => x * y, 1);
  const bias =
    c && (cCount === 1 || (cCount === n && cShape.at(-1) === n))
      ? new Array<number>(n).fill(0).map((_, j) => (constantNumbers(c)[cCount === 1 ? 0 : j] ?? 0) * beta)
      : undefined;
  const addAfter = ctx.has(2) && !bias;
  const product = addAfter ? em.value(`${base}_ab`, [m, n]) : ctx.output(0);
  if (ctx.constant(1)) {
    const { weights } = fcWeights(ctx, 1, transB, alpha);
    const b = bias ? em.float32(`${base}_bias`, bias, [n]) : undefined;
    em.op('FULLY_CONNECTED', [a, weights, b], product, { keep_num_dims: false });
  } else {
    const last = (done: boolean): Value => (done ? product : em.value(`${base}_mm`, [m, n]));
    let y = em.op('BATCH_MATMUL', [a, ctx.input(1)], last(alpha === 1 && !bias), { adj_x: false, adj_y: transB });
    if (alpha !== 1) y = em.op('MUL', [y, em.float32(`${base}_alpha`, [alpha], [])], last(!bias));
    if (bias) em.op('ADD', [y, em.float32(`${base}_bias`, bias, [n])], product);
  }
  if (!addAfter) return;
  let cValue: Value;
  if (c)
    cValue = em.float32(
      `${base}_c`,
      constantNumbers(c).map((v) => v * beta),
      cShape,
    );
  else if (beta === 1) cValue = ctx.input(2);
  else cValue = em.op('MUL', [ctx.input(2), em.float32(`${base}_beta`, [beta], [])], em.value(`${base}_bc`, cShape));
  em.op('ADD', [product, cValue], ctx.output(0));
}

function matmul(ctx: OnnxOpContext): void {
  const { em, base } = ctx;
  const aShape = ctx.shape(0);
  const bShape = ctx.shape(1);
  const outShape = ctx.outShape(0);
  const b = ctx.constant(1);
  if (b && bShape.length === 2 && aShape.length >= 1) {
    const { weights } = fcWeights(ctx, 1, false, 1);
    if (aShape.length === 1) {
      const row = ctx.reshape(ctx.input(0), [1, aShape[0] ?? 1]);
      const y = em.op('FULLY_CONNECTED', [row, weights, undefined], em.value(`${base}_row`, [1, bShape[1] ?? 1]), { keep_num_dims: false });
      em.op('RESHAPE', [y, em.int32(outShape)], ctx.output(0), { new_shape: outShape });
      return;
    }
    em.op('FULLY_CONNECTED', [ctx.input(0), weights, undefined], ctx.output(0), { keep_num_dims: aShape.length > 2 });
    return;
  }
  // 1-D operands become matrices (a row, a column) and the extra axis is dropped again after
  const a = aShape.length === 1 ? ctx.reshape(ctx.input(0), [1, aShape[0] ?? 1]) : ctx.input(0);
  const bm = bShape.length === 1 ? ctx.reshape(ctx.input(1), [bShape[0] ?? 1, 1]) : ctx.input(1);
  if (aShape.length === 1 || bShape.length === 1) {
    const full =
      aShape.length === 1 && bShape.length === 1
        ? [1, 1]
        : aShape.length === 1
          ? [...outShape.slice(0, -1), 1, outShape.at(-1) ?? 1]
          : [...outShape, 1];
    const y = em.op('BATCH_MATMUL', [a, bm], em.value(`${base}_mm`, full), { adj_x: false, adj_y: false });
    em.op('RESHAPE', [y, em.int32(outShape)], ctx.output(0), { new_shape: outShape });
    return;
  }
  em.op('BATCH_MATMUL', [a, bm], ctx.output(0), { adj_x: false, adj_y: false });
}

/** Converters for matrix products. */
export const MATMUL_CONVERTERS: Record<string, OnnxConverter> = {
  Gemm: gemm,
  MatMul: matmul,
  // Einsums are lowered to MatMul and friends before translation (lower-einsum.ts); one left here could not be
  Einsum: (ctx) =>
    cannot(
      `Einsum "${ctx.node.string('equation', '')}": only equations without a repeated label inside one operand (a diagonal), on inputs of fixed shapes, can be converted`,
    ),
};
