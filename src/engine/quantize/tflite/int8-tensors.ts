import type { Graph } from '../../ir/graph';
import type { Value } from '../../ir/value';
import { quantizeValue, quantizeWeights, type QuantParams } from '../quant-math';
import { addTfliteConstant, type FloatConstant } from './tflite-constants';

/** A weight stored int8, symmetric (zero point 0), one scale per slice along `axis` (one scale when undefined). */
export function int8Weight(graph: Graph, base: string, weight: FloatConstant, axis: number | undefined): Value {
  const q = quantizeWeights(weight.data, weight.dims, axis);
  const scale = Array.from(q.scales);
  return addTfliteConstant(graph, `${base}_int8`, 'int8', weight.dims, q.values, {
    scale,
    zeroPoint: scale.map(() => 0),
    axis: axis ?? 0,
  });
}

/**
 * A bias stored int32 (int64 for 16x8 kernels) with scale = input scale × weight scale (per output
 * channel when the weight has one scale per channel) and zero point 0, as integer kernels add it
 * to their accumulators.
 */
export function integerBias(
  graph: Graph,
  base: string,
  bias: FloatConstant,
  inputScale: number,
  weightScales: readonly number[],
  dtype: 'int32' | 'int64' = 'int32',
): Value | undefined {
  const channels = bias.data.length;
  if (weightScales.length > 1 && weightScales.length !== channels) return undefined;
  const scale = Array.from(
    { length: weightScales.length > 1 ? channels : 1 },
    (_, i) => inputScale * (weightScales[i] ?? weightScales[0] ?? 1),
  );
  const limit = dtype === 'int32' ? 2147483647 : Number.MAX_SAFE_INTEGER;
  const rounded = Array.from(bias.data, (b, i) => {
    const s = scale[scale.length > 1 ? i : 0] ?? 1;
    return Math.max(-limit, Math.min(limit, Math.round(b / s)));
  });
  const values = dtype === 'int32' ? Int32Array.from(rounded) : BigInt64Array.from(rounded, (x) => BigInt(x));
  return addTfliteConstant(graph, `${base}_${dtype}`, dtype, bias.dims, values, { scale, zeroPoint: scale.map(() => 0), axis: 0 });
}

/** A constant stored like an activation (int8, or int16 for 16x8 kernels) with the given (per-tensor) parameters. */
export function activationConstant(
  graph: Graph,
  base: string,
  constant: FloatConstant,
  p: QuantParams,
  dtype: 'int8' | 'int16' = 'int8',
): Value {
  const values =
    dtype === 'int8'
      ? Int8Array.from(constant.data, (x) => quantizeValue(x, p, 'int8'))
      : Int16Array.from(constant.data, (x) => Math.max(-32768, Math.min(32767, Math.round(x / p.scale) + p.zeroPoint)));
  return addTfliteConstant(graph, `${base}_${dtype}`, dtype, constant.dims, values, {
    scale: [p.scale],
    zeroPoint: [p.zeroPoint],
    axis: 0,
  });
}
