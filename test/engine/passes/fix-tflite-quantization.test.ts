import { describe, expect, it } from 'vitest';
import { decodeTflite, encodeTflite, findQuantizationProblems, readTflite, writeTflite } from '../../../src/engine/formats/tflite';
import { fixTfliteQuantization } from '../../../src/engine/passes/fix-tflite-quantization';
import { FACE_SHORT_TFLITE } from '../../fixtures/real-models';
import { readFileSync } from 'node:fs';

// A real model given the flaw microcontroller models have: per-channel quantization of 1-D
// tensors along an axis they do not have (dimension 3), as tflite-micro's person detector does.
function brokenModel(): Uint8Array {
  const source = readTflite(new Uint8Array(readFileSync(FACE_SHORT_TFLITE)));
  let broken = 0;
  for (const tensor of source.subgraphs[0]!.tensors) {
    const length = tensor.shape?.length === 1 ? tensor.shape[0]! : 0;
    if (length > 1 && broken < 3) {
      const scale = Array.from({ length }, (_, i) => 0.01 * (i + 1));
      tensor.quantization = { min: null, max: null, scale, zeroPoint: scale.map(() => 0n), quantizedDimension: 3, custom: null };
      broken++;
    }
  }
  return writeTflite(source);
}

describe('fix-tflite-quantization', () => {
  it('points a per-channel quantization at the only axis that fits, leaving data unchanged', () => {
    const bytes = brokenModel();
    const before = findQuantizationProblems(readTflite(bytes));
    const model = decodeTflite(bytes);
    const result = fixTfliteQuantization.run(model, {}, {});
    const after = readTflite(encodeTflite(model));
    expect(before.length).toBe(3);
    expect(findQuantizationProblems(after)).toEqual([]);
    expect(result).toMatchObject({ changed: true, stats: { tensorsFixed: 3 } });
    const fixedTensor = after.subgraphs[0]!.tensors[before[0]!.tensor]!;
    expect(fixedTensor.quantization?.quantizedDimension).toBe(0);
    expect(fixedTensor.quantization?.scale).toEqual(readTflite(bytes).subgraphs[0]!.tensors[before[0]!.tensor]!.quantization?.scale);
  });

  it('changes nothing in a healthy model', () => {
    const model = decodeTflite(new Uint8Array(readFileSync(FACE_SHORT_TFLITE)));
    expect(fixTfliteQuantization.run(model, {}, {})).toMatchObject({ changed: false, stats: { tensorsFixed: 0 } });
  });
});
