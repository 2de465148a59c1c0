import ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { encodeOnnx } from '../../../../src/engine/formats/onnx';
import { decodeTflite, encodeTflite, tfliteToOnnx, TFLITE_DOMAIN } from '../../../../src/engine/formats/tflite';
import { TfliteEmitter } from '../../../../src/engine/formats/tflite/convert/tflite-emitter';
import type { Dim } from '../../../../src/engine/ir/shape';
import { Model } from '../../../../src/engine/ir/model';
import type { Value } from '../../../../src/engine/ir/value';
import { createTfliteSession } from '../../../../src/engine/runtime/tflite';

/** A TFLite value stored at `stored` whose shape signature is `open` (null: −1). */
function openValue(em: TfliteEmitter, name: string, open: Dim[]): Value {
  const v = em.value(
    name,
    open.map((d) => (typeof d === 'number' ? d : 1)),
  );
  v.type = { kind: 'tensor', dtype: 'float32', shape: open };
  return v;
}

/** x[?, 6] → EXPAND_DIMS(1) → ×2 → SQUEEZE([1]) → RESHAPE([-1, 3, 2]), stored at batch 1. */
function openBatchModel(): Uint8Array {
  const em = new TfliteEmitter();
  const x = openValue(em, 'x', [null, 6]);
  const expanded = em.op('EXPAND_DIMS', [x, em.int32([1], [])], openValue(em, 'expanded', [null, 1, 6]));
  const doubled = em.op('MUL', [expanded, em.float32('two', [2], [])], openValue(em, 'doubled', [null, 1, 6]));
  const squeezed = em.op('SQUEEZE', [doubled], openValue(em, 'squeezed', [null, 6]), { squeeze_dims: [1] });
  const y = em.op('RESHAPE', [squeezed, em.int32([-1, 3, 2])], openValue(em, 'y', [null, 3, 2]), { new_shape: [-1, 3, 2] });
  em.graph.inputs = [x];
  em.graph.outputs = [y];
  return encodeTflite(new Model(TFLITE_DOMAIN, em.graph));
}

describe('TFLite → ONNX with open dimensions', () => {
  it('keeps the dimensions the shape signature leaves open, and the result runs at other sizes', async () => {
    const bytes = openBatchModel();
    const result = tfliteToOnnx(decodeTflite(bytes));
    expect(result.unconvertible).toEqual([]);
    const graph = result.model.graph;
    const shapeOf = (v: Value | undefined) => (v?.type?.kind === 'tensor' ? v.type.shape : undefined);
    expect(shapeOf(graph.inputs[0])).toEqual([null, 6]);
    expect(shapeOf(graph.outputs[0])).toEqual([null, 3, 2]);
    expect(graph.nodes.map((n) => n.opType)).toEqual(expect.arrayContaining(['Unsqueeze', 'Squeeze', 'Reshape']));
    const onnx = await ort.InferenceSession.create(encodeOnnx(result.model));
    const tflite = await createTfliteSession(bytes);
    try {
      // at the stored size, as the TFLite runtime runs it
      const one = Float32Array.from({ length: 6 }, (_, i) => i - 2.5);
      const [want] = (await tflite.run([one])).outputs;
      const got = await onnx.run({ x: new ort.Tensor('float32', one, [1, 6]) });
      expect(Array.from(got.y!.data as Float32Array)).toEqual(Array.from(want as Float32Array));
      // and at a batch of 4, which the stored shape alone would refuse
      const four = Float32Array.from({ length: 24 }, (_, i) => i * 0.5 - 3);
      const out = (await onnx.run({ x: new ort.Tensor('float32', four, [4, 6]) })).y!;
      expect(out.dims).toEqual([4, 3, 2]);
      expect(Array.from(out.data as Float32Array)).toEqual(Array.from(four, (v) => v * 2));
    } finally {
      await onnx.release();
      await tflite.dispose();
    }
  });
});
