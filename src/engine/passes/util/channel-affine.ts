import type { Graph } from '../../ir/graph';
import type { Node } from '../../ir/node';
import type { Value } from '../../ir/value';
import { constantTensor, float32Data } from './constants';

/** A per-channel affine map y = x·scale[c] + shift[c] along axis 1 of its input. */
export interface ChannelAffine {
  scale: Float64Array;
  shift: Float64Array;
}

function batchNorm(
  graph: Graph,
  bn: Node,
  producers: Map<Value, Node>,
  counts: Map<Value, number>,
  channels: number,
): ChannelAffine | undefined {
  if (bn.int('training_mode', 0) !== 0 || bn.int('spatial', 1) !== 1) return undefined;
  if (bn.outputs.slice(1).some((o) => o && (counts.get(o) ?? 0) > 0)) return undefined;
  const [gamma, beta, mean, variance] = bn.inputs.slice(1, 5).map((v) => {
    const t = constantTensor(graph, v, producers);
    return t && t.dims.length === 1 ? float32Data(t) : undefined;
  });
  if (!gamma || !beta || !mean || !variance || ![gamma, beta, mean, variance].every((p) => p.length === channels)) return undefined;
  const eps = bn.float('epsilon', 1e-5);
  const scale = new Float64Array(channels);
  const shift = new Float64Array(channels);
  // The four parameters have `channels` values each (checked above).
  for (let i = 0; i < channels; i++) {
    const s = gamma[i]! / Math.sqrt(variance[i]! + eps);
    scale[i] = s;
    shift[i] = beta[i]! - mean[i]! * s;
  }
  return { scale, shift };
}

// Per-channel values of a constant that broadcasts along axis 1 of a rank-`rank` tensor only.
function perChannel(
  graph: Graph,
  v: Value | undefined,
  producers: Map<Value, Node>,
  rank: number,
  channels: number,
): Float64Array | undefined {
  const t = constantTensor(graph, v, producers);
  const data = t && float32Data(t);
  if (!t || !data || t.dims.length > rank) return undefined;
  const dims = [...new Array<number>(rank - t.dims.length).fill(1), ...t.dims];
  if (!dims.every((d, i) => d === 1 || (i === 1 && d === channels))) return undefined;
  // Either one value for every channel or one value broadcast to all of them.
  if (dims[1] === channels && data.length === channels) return Float64Array.from(data);
  const [only] = data;
  return data.length === 1 && only !== undefined ? new Float64Array(channels).fill(only) : undefined;
}

/**
 * The per-channel affine map `node` applies to `x` (a rank-`rank` tensor with `channels` on
 * axis 1): inference BatchNormalization, or Add/Sub/Mul of a per-channel constant.
 */
export function channelAffine(
  graph: Graph,
  node: Node,
  x: Value,
  producers: Map<Value, Node>,
  counts: Map<Value, number>,
  rank: number,
  channels: number,
): ChannelAffine | undefined {
  if (node.domain !== '' || node.inputs[0] === undefined) return undefined;
  if (node.opType === 'BatchNormalization') return node.inputs[0] === x ? batchNorm(graph, node, producers, counts, channels) : undefined;
  const [a, b] = node.inputs;
  const other = a === x ? b : a;
  if ((node.opType === 'Sub' && a !== x) || !['Add', 'Sub', 'Mul'].includes(node.opType) || a === b) return undefined;
  const k = perChannel(graph, other, producers, rank, channels);
  if (!k) return undefined;
  const ones = new Float64Array(channels).fill(1);
  if (node.opType === 'Mul') return { scale: k, shift: new Float64Array(channels) };
  return { scale: ones, shift: node.opType === 'Sub' ? k.map((v) => -v) : k };
}
