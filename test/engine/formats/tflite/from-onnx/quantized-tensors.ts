// Quantized constant tensors for the QDQ and QLinear tests.
import { Tensor } from '../../../../../src/engine/ir/tensor';

/** An int8 tensor with spread-out values (a fixed pattern from `seed`). */
export const int8 = (name: string, dims: number[], seed: number): Tensor =>
  new Tensor(
    name,
    'int8',
    dims,
    new Uint8Array(Int8Array.from({ length: dims.reduce((a, b) => a * b, 1) }, (_, i) => ((i * 37 + seed) % 255) - 127).buffer),
  );

/** A uint8 tensor holding `values`. */
export const uint8 = (name: string, dims: number[], values: number[]): Tensor => new Tensor(name, 'uint8', dims, Uint8Array.from(values));

/** An int32 vector (QLinearConv's bias). */
export const int32 = (name: string, values: number[]): Tensor =>
  new Tensor(name, 'int32', [values.length], new Uint8Array(Int32Array.from(values).buffer));
