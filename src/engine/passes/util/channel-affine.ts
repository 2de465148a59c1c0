import type { Graph } from '../../ir/graph';
import type { Node } from '../../ir/node';
import type { Value } from '../../ir/value';
import { constantTensor, float32Data } from './constants';
import { declined, matched, type Match } from './match';

/** A per-channel affine map y = x·scale[c] + shift[c] along axis 1 of its input. */
export interface ChannelAffine {
  scale: Float64Array;
  shift: Float64Array;
}

function batchNorm(graph: Graph, bn: Node, channels: number): Match<ChannelAffine> {
  if (bn.int('training_mode', 0) !== 0) return declined('it runs in training mode');
  if (bn.int('spatial', 1) !== 1) return declined('it normalizes per position (spatial=0)');
  if (bn.outputs.slice(1).some((o) => o && graph.useCount(o) > 0)) return declined('its running statistics outputs are used');
  const params = bn.inputs.slice(1, 5).map((v) => {
    const t = constantTensor(graph, v);
    return t && t.dims.length === 1 ? float32Data(t) : undefined;
  });
  const [gamma, beta, mean, variance] = params;
  if (!gamma || !beta || !mean || !variance) return declined('its scale, bias, mean or variance is not a float32 constant');
  if (!params.every((p) => p?.length === channels))
    return declined(`its parameters do not have one value per channel (${channels} channels)`);
  const eps = bn.float('epsilon', 1e-5);
  const scale = new Float64Array(channels);
  const shift = new Float64Array(channels);
  // Every parameter holds `channels` values (checked above).
  gamma.forEach((g, i) => {
    scale[i] = g / Math.sqrt((variance[i] ?? 0) + eps);
    shift[i] = (beta[i] ?? 0) - (mean[i] ?? 0) * (scale[i] ?? 0);
  });
  return matched({ scale, shift });
}

// Per-channel values of a constant that broadcasts along axis 1 of a rank-`rank` tensor only.
function perChannel(graph: Graph, v: Value | undefined, rank: number, channels: number): Match<Float64Array> {
  const t = constantTensor(graph, v);
  const data = t && float32Data(t);
  if (!t || !data) return declined('its other operand is not a float32 constant');
  if (t.dims.length > rank) return declined('its constant has more dimensions than the layer output');
  const dims = [...new Array<number>(rank - t.dims.length).fill(1), ...t.dims];
  if (!dims.every((d, i) => d === 1 || (i === 1 && d === channels))) return declined('its constant is not one value per channel');
  const perC = dims[1] === channels;
  return matched(Float64Array.from({ length: channels }, (_, c) => data[perC ? c : 0] ?? 0));
}

/**
 * The per-channel affine map `node` applies to `x` (a rank-`rank` tensor with `channels` on
 * axis 1): inference BatchNormalization, or Add/Sub/Mul of a per-channel constant. Declines with a
 * reason otherwise.
 */
export function channelAffine(graph: Graph, node: Node, x: Value, rank: number, channels: number): Match<ChannelAffine> {
  if (node.domain !== '' || node.inputs[0] === undefined) return declined(`${node.opType} is not a standard operator`);
  if (node.opType === 'BatchNormalization')
    return node.inputs[0] === x ? batchNorm(graph, node, channels) : declined('it does not normalize the layer output');
  const [a, b] = node.inputs;
  if (!['Add', 'Sub', 'Mul'].includes(node.opType)) return declined(`${node.opType} is not a scale or shift`);
  if (a === b) return declined('both operands are the layer output');
  if (node.opType === 'Sub' && a !== x) return declined('it subtracts the layer output from a constant');
  const k = perChannel(graph, a === x ? b : a, rank, channels);
  if (!k.ok) return k;
  if (node.opType === 'Mul') return matched({ scale: k.value, shift: new Float64Array(channels) });
  return matched({ scale: new Float64Array(channels).fill(1), shift: node.opType === 'Sub' ? k.value.map((v) => -v) : k.value });
}
