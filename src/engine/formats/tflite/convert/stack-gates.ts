// Gate tensors of a TFLite recurrent op (one tensor per gate) stacked into the one tensor an ONNX
// LSTM/GRU takes, with a leading direction axis:
//   gates g₁ … gₙ, each [H, …]   →   [1, n·H, …]   (then `pad` zero rows, for ONNX's recurrent bias)
// Constant gates become one constant: float data as it is, quantized data kept quantized with one
// scale per row (DequantizeLinear along axis 1). Gates computed at run time are concatenated by nodes.
import type { DType } from '../../../ir/dtype';
import type { Value } from '../../../ir/value';
import { cannot, type OpContext } from './op-context';

const SIZE: Partial<Record<DType, number>> = { float32: 4, int32: 4, int16: 2, int8: 1, uint8: 1 };

/** Stacks inputs `indices` of the node (then `pad` rows of zeros) into [1, rows, …]. */
export function stackGates(ctx: OpContext, indices: readonly number[], name: string, pad = 0): Value {
  const { em, base } = ctx;
  const facts = indices.map((i) => ctx.facts(i));
  const first = facts[0] ?? cannot('no gate tensors');
  const rows = first.shape[0] ?? 1;
  const rest = first.shape.slice(1);
  const cols = rest.reduce((a, b) => a * b, 1);
  const dims = [1, rows * (indices.length + pad), ...rest];
  const datas = indices.map((i) => ctx.constant(i));
  const dtype = first.dtype;
  const size = SIZE[dtype];
  const sameKind = facts.every(
    (f) => f.dtype === dtype && (f.quantization?.scale.length ?? 1) === 1 && f.shape.join() === first.shape.join(),
  );
  if (size && sameKind && datas.every((d) => d !== undefined)) {
    const bytes = new Uint8Array(dims.reduce((a, b) => a * b, 1) * size);
    datas.forEach((d, k) => d && bytes.set(d.bytes().subarray(0, rows * cols * size), k * rows * cols * size));
    const stacked = em.constant(`${base}_${name}`, dtype, dims, bytes);
    if (!facts.some((f) => f.quantization)) return stacked;
    // one scale and zero point per row: each gate's own, and 1 / 0 for the zero rows
    const perRow = (pick: (k: number) => number, filler: number): number[] =>
      Array.from({ length: rows * (indices.length + pad) }, (_, r) => (r < rows * indices.length ? pick(Math.floor(r / rows)) : filler));
    const scales = perRow((k) => facts[k]?.quantization?.scale[0] ?? 1, 1);
    const zeros = perRow((k) => facts[k]?.quantization?.zeroPoint[0] ?? 0, 0);
    const out = em.op(
      'DequantizeLinear',
      [stacked, em.float32(scales, [scales.length]), ctx.zeroPoint(dtype, zeros)],
      { axis: 1 },
      `${base}_${name}_dq`,
    );
    out.type = { kind: 'tensor', dtype: 'float32', shape: dims };
    return out;
  }
  const parts = indices.map((i) => ctx.input(i));
  if (pad) parts.push(em.float32(new Array<number>(pad * rows * cols).fill(0), [pad * rows, ...rest]));
  const joined = em.op('Concat', parts, { axis: 0 }, `${base}_${name}_cat`);
  return em.op('Unsqueeze', [joined, em.int64([0])], {}, `${base}_${name}`);
}
