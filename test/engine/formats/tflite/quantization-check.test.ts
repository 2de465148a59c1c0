import { describe, expect, it } from 'vitest';
import { findQuantizationProblems, fixQuantizedDimensions } from '../../../../src/engine/formats/tflite';
import { TensorType } from '../../../../src/engine/formats/tflite/generated/tflite/tensor-type';
import { addModel, tensor } from '../../helpers/tflite-builders';
import { at } from '../../../helpers/at';

function withBias(quantizedDimension: number, shape = [8]) {
  const model = addModel();
  const scale = Array.from({ length: 8 }, (_, i) => (i + 1) / 64);
  at(model.subgraphs, 0).tensors.push(
    tensor('bias', shape, TensorType.INT32, {
      quantization: { min: null, max: null, scale, zeroPoint: scale.map(() => 0n), quantizedDimension, custom: null },
    }),
  );
  return model;
}

describe('per-channel quantization check', () => {
  it('finds a 1-D bias quantized along dimension 3 (as in tflite-micro person_detect) and fixes it', () => {
    const model = withBias(3);
    expect(findQuantizationProblems(model)).toEqual([
      { subgraph: 0, tensor: 3, name: 'bias', shape: [8], quantizedDimension: 3, scales: 8, fixDimension: 0 },
    ]);
    const { model: fixed, fixed: count } = fixQuantizedDimensions(model);
    expect(count).toBe(1);
    expect(at(at(fixed.subgraphs, 0).tensors, 3).quantization?.quantizedDimension).toBe(0);
    expect(findQuantizationProblems(fixed)).toEqual([]);
    expect(at(at(model.subgraphs, 0).tensors, 3).quantization?.quantizedDimension).toBe(3);
  });

  it('accepts valid per-channel quantization and leaves ambiguous cases unfixed', () => {
    expect(findQuantizationProblems(withBias(0))).toEqual([]);
    const ambiguous = withBias(2, [8, 8, 1]);
    expect(at(findQuantizationProblems(ambiguous), 0).fixDimension).toBeNull();
    expect(fixQuantizedDimensions(ambiguous).fixed).toBe(0);
  });
});
