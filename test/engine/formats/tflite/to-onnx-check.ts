// Builds a TFLite model from a tiny ONNX pattern (with the real ONNX → TFLite converter), converts
// it back to ONNX with the TFLite → ONNX converter, and runs the TFLite model in the TFLite runtime
// (a fresh session: variable tensors start at zero) and the result in onnxruntime, same inputs.
import ort from 'onnxruntime-node';
import { expect } from 'vitest';
import { decodeOnnx, encodeOnnx } from '../../../../src/engine/formats/onnx';
import { decodeTflite, encodeTflite, onnxToTflite, tfliteToOnnx, type TfliteToOnnxResult } from '../../../../src/engine/formats/tflite';
import type { Model } from '../../../../src/engine/ir/model';
import { createTfliteSession } from '../../../../src/engine/runtime/tflite';
import { randomFloats } from '../../passes/graph-builder';
import { at, entry } from '../../../helpers/at';

/** What {@link tfliteBackToOnnx} measured. */
export interface BackCheck {
  /** Largest |tflite − onnx| ÷ largest |tflite| over all outputs. */
  relative: number;
  /** TFLite op types of the intermediate model. */
  tfliteOps: string[];
  /** ONNX op types of the converted model. */
  onnxOps: string[];
  result: TfliteToOnnxResult;
  /** The TFLite model's inputs and outputs (names), and the ONNX model's. */
  tfliteIo: { inputs: string[]; outputs: string[] };
  onnxIo: { inputs: string[]; outputs: string[] };
}

/** Converts the ONNX pattern `model` to TFLite, then that TFLite model to ONNX, and compares the two runs. */
export async function tfliteBackToOnnx(model: Model, options: { seed?: number } = {}): Promise<BackCheck> {
  const forward = await onnxToTflite(decodeOnnx(encodeOnnx(model)));
  expect(forward.unconvertible, JSON.stringify(forward.unconvertible)).toEqual([]);
  const tfliteBytes = encodeTflite(forward.model);
  const result = tfliteToOnnx(decodeTflite(tfliteBytes));
  expect(result.unconvertible, JSON.stringify(result.unconvertible)).toEqual([]);
  const session = await createTfliteSession(tfliteBytes);
  const onnx = await ort.InferenceSession.create(encodeOnnx(result.model));
  try {
    const feeds = session.inputs.map((info, i) =>
      randomFloats(
        info.shape.reduce((a, b) => a * b, 1),
        (options.seed ?? 5) + i,
      ),
    );
    const want = (await session.run(feeds)).outputs;
    const got = await onnx.run(
      Object.fromEntries(session.inputs.map((info, i) => [info.name, new ort.Tensor('float32', at(feeds, i), info.shape)])),
    );
    let maxAbs = 0;
    let scale = 1e-12;
    session.outputs.forEach((info, k) => {
      const x = at(want, k, 'TFLite outputs');
      const y = entry(got, info.name, 'ONNX outputs').data as Float32Array;
      expect(y.length).toBe(x.length);
      for (let i = 0; i < x.length; i++) {
        maxAbs = Math.max(maxAbs, Math.abs(Number(x[i]) - Number(y[i])));
        scale = Math.max(scale, Math.abs(Number(x[i])));
      }
    });
    return {
      relative: maxAbs / scale,
      tfliteOps: forward.model.graph.nodes.map((n) => n.opType),
      onnxOps: result.model.graph.nodes.map((n) => n.opType),
      result,
      tfliteIo: { inputs: session.inputs.map((i) => i.name), outputs: session.outputs.map((o) => o.name) },
      onnxIo: { inputs: onnx.inputNames.slice(), outputs: onnx.outputNames.slice() },
    };
  } finally {
    await session.dispose();
    await onnx.release();
  }
}
