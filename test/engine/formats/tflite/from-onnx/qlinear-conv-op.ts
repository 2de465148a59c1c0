// QLinearConv with int8 weights per output channel (zero points 0) for the QLinear tests.
import type { AttributeValue } from '../../../../../src/engine/ir/attribute';
import { Tensor } from '../../../../../src/engine/ir/tensor';
import type { Value } from '../../../../../src/engine/ir/value';
import type { GraphBuilder } from '../../../passes/graph-builder';
import { int32, int8 } from './quantized-tensors';

/** A quantized tensor's scale and zero point, as graph values. */
export interface QuantParams {
  scale: Value;
  zero: Value;
}

/** The weights: an int8 pattern from `seed` of shape `dims`, one scale per output channel. */
export interface ConvWeights {
  name: string;
  dims: number[];
  seed: number;
  scales: number[];
}

/** Adds QLinearConv(x) → y to `b`; `bias` is int32 in units of the input scale × each weight scale. */
export function qlinearConv(
  b: GraphBuilder,
  x: Value,
  io: { x: QuantParams; y: QuantParams },
  w: ConvWeights,
  attributes: Record<string, AttributeValue>,
  bias?: number[],
): Value {
  const channels = w.dims[0] ?? 1;
  const inputs = [
    x,
    io.x.scale,
    io.x.zero,
    b.initializer(int8(w.name, w.dims, w.seed)),
    b.weight(`${w.name}_scale`, [channels], w.scales),
    b.initializer(new Tensor(`${w.name}_zero`, 'int8', [channels], new Uint8Array(channels))),
    io.y.scale,
    io.y.zero,
  ];
  if (bias) inputs.push(b.initializer(int32(`${w.name}_bias`, bias)));
  return b.op('QLinearConv', inputs, attributes);
}
