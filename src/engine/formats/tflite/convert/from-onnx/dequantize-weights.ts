// Quantized constants of an ONNX QDQ model expanded to float constants for TFLite:
//   DequantizeLinear(constant q, scale, zero point)  →  constant x = scale × (q − zero point)
// (per tensor, or per slice along `axis`). TFLite's convolutions and fully connected layers take
// their weights as constants, and a float kernel reads float weights: the file stores them as
// float32, which the conversion notes say. Activations keep their QuantizeLinear/DequantizeLinear.
import type { Graph } from '../../../../ir/graph';
import type { Node } from '../../../../ir/node';
import { Tensor } from '../../../../ir/tensor';
import { constantNumbers } from './narrow';

function expand(node: Node): Tensor | undefined {
  const [data, scaleV, zeroV] = node.inputs;
  const out = node.outputs[0];
  const q = data?.initializer;
  const scaleT = scaleV?.initializer;
  if (!q || !scaleT || !out || (zeroV && !zeroV.initializer) || node.int('block_size', 0) !== 0) return undefined;
  const scale = constantNumbers(scaleT);
  const zero = zeroV?.initializer ? constantNumbers(zeroV.initializer) : scale.map(() => 0);
  const rank = q.dims.length;
  const axisAttr = node.int('axis', 1);
  const axis = axisAttr < 0 ? axisAttr + rank : axisAttr;
  const channels = scale.length;
  if (channels > 1 && q.dims[axis] !== channels) return undefined;
  const inner = q.dims.slice(axis + 1).reduce((a, b) => a * b, 1);
  const values = constantNumbers(q);
  const floats = Float32Array.from(values, (v, i) => {
    const c = channels > 1 ? Math.floor(i / inner) % channels : 0;
    return (scale[c] ?? 1) * (v - (zero[c] ?? 0));
  });
  return new Tensor(out.name, 'float32', [...q.dims], new Uint8Array(floats.buffer));
}

/** Replaces every DequantizeLinear of constants in `graph` by its float result; returns how many. */
export function dequantizeWeights(graph: Graph): number {
  const done: Node[] = [];
  for (const node of graph.nodes) {
    if (node.opType !== 'DequantizeLinear' || node.domain !== '') continue;
    const t = expand(node);
    const out = node.outputs[0];
    if (!t || !out) continue;
    const v = graph.addInitializer(t);
    v.type = { kind: 'tensor', dtype: 'float32', shape: [...t.dims] };
    done.push(node);
  }
  graph.removeNodes(done);
  return done.length;
}
