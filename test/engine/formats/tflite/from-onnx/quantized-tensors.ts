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
