import type { Graph } from '../../ir/graph';
import type { Node } from '../../ir/node';
import type { Value } from '../../ir/value';
import { quantizeWeights } from '../quant-math';
import { addConstant, addValue, floatData, intAttr, makeNode } from './graph-edit';

/** The output-channel axis of a layer's weight, or undefined when the weight is not a plain constant. */
export function weightAxis(node: Node): number | undefined {
  const w = node.inputs[1];
  const t = w?.initializer;
  if (!t || t.dtype !== 'float32') return undefined;
  if (node.opType === 'Conv') return t.dims.length >= 3 ? 0 : undefined;
  if (node.opType === 'MatMul') return t.dims.length === 2 ? 1 : undefined;
  if (node.opType === 'Gemm') return t.dims.length === 2 ? (node.int('transB', 0) ? 0 : 1) : undefined;
  return undefined;
}

/**
 * Stores a weight as int8 (symmetric, per output channel when `perChannel`) behind a
 * DequantizeLinear, and returns the dequantized value and its scales. Shared weights are
 * quantized once (`cache`).
 */
export function quantizeWeightQdq(
  graph: Graph,
  weight: Value,
  axis: number,
  perChannel: boolean,
  cache: Map<Value, { value: Value; scales: Float32Array; node: Node }>,
): { value: Value; scales: Float32Array; node: Node } | undefined {
  const cached = cache.get(weight);
  if (cached) return cached;
  const t = weight.initializer;
  const data = floatData(weight);
  if (!t || !data) return undefined;
  const q = quantizeWeights(data, t.dims, perChannel ? axis : undefined);
  const channels = q.scales.length;
  const dims = channels > 1 ? [channels] : [];
  const qValue = addConstant(graph, `${weight.name}_quantized`, 'int8', [...t.dims], q.values);
  const scale = addConstant(graph, `${weight.name}_scale`, 'float32', dims, q.scales);
  const zero = addConstant(graph, `${weight.name}_zero_point`, 'int8', dims, new Int8Array(channels));
  const out = addValue(graph, `${weight.name}_dequantized`, 'float32', [...t.dims]);
  const node = makeNode(
    'DequantizeLinear',
    [qValue, scale, zero],
    [out],
    `${weight.name}_DequantizeLinear`,
    channels > 1 ? [intAttr('axis', axis)] : [],
  );
  const entry = { value: out, scales: q.scales, node };
  cache.set(weight, entry);
  return entry;
}

/** Stores a bias as int32 with scale = input scale × weight scale (per channel), behind a DequantizeLinear. */
export function quantizeBiasQdq(
  graph: Graph,
  bias: Value,
  inputScale: number,
  weightScales: Float32Array,
): { value: Value; node: Node } | undefined {
  const data = floatData(bias);
  const t = bias.initializer;
  const [firstScale] = weightScales;
  const perChannel = weightScales.length > 1;
  if (!data || !t || t.dims.length !== 1 || firstScale === undefined) return undefined;
  if (perChannel && weightScales.length !== data.length) return undefined;
  const scales = perChannel ? weightScales.map((s) => inputScale * s) : new Float32Array(data.length).fill(inputScale * firstScale);
  // `scales` has one entry per bias value.
  const values = Int32Array.from(data, (b, i) => Math.max(-2147483647, Math.min(2147483647, Math.round(b / scales[i]!))));
  const qValue = addConstant(graph, `${bias.name}_quantized`, 'int32', [...t.dims], values);
  const scale = addConstant(
    graph,
    `${bias.name}_scale`,
    'float32',
    perChannel ? [data.length] : [],
    perChannel ? scales : new Float32Array([inputScale * firstScale]),
  );
  const zero = addConstant(
    graph,
    `${bias.name}_zero_point`,
    'int32',
    perChannel ? [data.length] : [],
    new Int32Array(perChannel ? data.length : 1),
  );
  const out = addValue(graph, `${bias.name}_dequantized`, 'float32', [...t.dims]);
  return {
    value: out,
    node: makeNode(
      'DequantizeLinear',
      [qValue, scale, zero],
      [out],
      `${bias.name}_DequantizeLinear`,
      perChannel ? [intAttr('axis', 0)] : [],
    ),
  };
}
