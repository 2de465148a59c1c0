import { describe, expect, it } from 'vitest';
import { decodeOnnx, encodeOnnx } from '../../../../../src/engine/formats/onnx';
import { onnxToTflite } from '../../../../../src/engine/formats/tflite';
import { GraphBuilder } from '../../../passes/graph-builder';

describe('ONNX operators whose result length depends on the data', () => {
  it('NonMaxSuppression is refused with the reason and what TFLite detectors do instead', async () => {
    const b = new GraphBuilder(13);
    const boxes = b.input('boxes', [1, 6, 4]);
    const scores = b.input('scores', [1, 2, 6]);
    const selected = b.op('NonMaxSuppression', [boxes, scores, b.ints('max', [3]), b.weight('iou', [1], [0.5])]);
    b.output(selected, [6, 3], 'int64');
    const result = await onnxToTflite(decodeOnnx(encodeOnnx(b.model)));
    expect(result.unconvertible.map((u) => u.op)).toEqual(['NonMaxSuppression']);
    expect(result.unconvertible[0]?.reason).toMatch(/how many boxes it keeps depends on the data.*fixed shape.*outside the model/);
  });
});
