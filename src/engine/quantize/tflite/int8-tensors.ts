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
 * A bias stored int32 with scale = input scale × weight scale (per output channel when the weight
 * has one scale per channel) and zero point 0, as integer kernels add it to their accumulators.
 */
export function int32Bias(
  graph: Graph,
  base: string,
  bias: FloatConstant,
  inputScale: number,
  weightScales: readonly number[],
): Value | undefined {
  const channels = bias.data.length;
  if (weightScales.length > 1 && weightScales.length !== channels) return undefined;
  const scale = Array.from(
    { length: weightScales.length > 1 ? channels : 1 },
    (_, i) => inputScale * (weightScales[i] ?? weightScales[0] ?? 1),
  );
  const values = Int32Array.from(bias.data, (b, i) => {
    const s = scale[scale.length > 1 ? i : 0] ?? 1;
    return Math.max(-2147483647, Math.min(2147483647, Math.round(b / s)));
  });
  return addTfliteConstant(graph, `${base}_int32`, 'int32', bias.dims, values, { scale, zeroPoint: scale.map(() => 0), axis: 0 });
}

/** A constant stored int8 with the given (per-tensor) parameters. */
export function int8Constant(graph: Graph, base: string, constant: FloatConstant, p: QuantParams): Value {
  const values = Int8Array.from(constant.data, (x) => quantizeValue(x, p, 'int8'));
  return addTfliteConstant(graph, `${base}_int8`, 'int8', constant.dims, values, { scale: [p.scale], zeroPoint: [p.zeroPoint], axis: 0 });
}
