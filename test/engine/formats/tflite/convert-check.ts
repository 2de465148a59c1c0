// Converts a tiny ONNX model to TFLite with the real converter and runs both: onnxruntime on the
// original, the TFLite runtime on the result, same seeded inputs.
import ort from 'onnxruntime-node';
import { expect } from 'vitest';
import { decodeOnnx, encodeOnnx } from '../../../../src/engine/formats/onnx';
import { encodeTflite, onnxToTflite, type OnnxToTfliteResult } from '../../../../src/engine/formats/tflite';
import { tfliteRecord, type TfliteValueRecord } from '../../../../src/engine/formats/tflite/ir-records';
import type { Model } from '../../../../src/engine/ir/model';
import type { Value } from '../../../../src/engine/ir/value';
import { createTfliteSession, type TfliteTypedArray } from '../../../../src/engine/runtime/tflite';
import { randomFloats } from '../../passes/graph-builder';
import { at } from '../../../helpers/at';

/** What {@link convertAndRun} measured. */
export interface ConversionCheck {
  /** Largest |onnx − tflite| ÷ largest |onnx| over all outputs. */
  relative: number;
  maxAbs: number;
  result: OnnxToTfliteResult;
  /** TFLite op types of the converted model, in order. */
  ops: string[];
}

function feedFor(dtype: string, shape: readonly number[], seed: number): { ort: ort.Tensor; tflite: TfliteTypedArray } {
  const n = shape.reduce((a, b) => a * b, 1);
  const floats = randomFloats(n, seed);
  const dims = [...shape];
  if (dtype === 'float32') return { ort: new ort.Tensor('float32', floats, dims), tflite: floats };
  if (dtype === 'int64') {
    const ints = Int32Array.from(floats, (x) => Math.floor((x + 1) * 2));
    return { ort: new ort.Tensor('int64', BigInt64Array.from(ints, BigInt), dims), tflite: ints };
  }
  if (dtype === 'int32') {
    const ints = Int32Array.from(floats, (x) => Math.floor((x + 1) * 2));
    return { ort: new ort.Tensor('int32', ints, dims), tflite: ints };
  }
  if (dtype === 'bool') {
    const bits = Uint8Array.from(floats, (x) => (x > 0 ? 1 : 0));
    return { ort: new ort.Tensor('bool', bits, dims), tflite: bits };
  }
  throw new Error(`no test inputs for ${dtype}`);
}

/**
 * Ops (name: tensor) that read a tensor no earlier op writes: TFLite runs ops in the order they are stored.
 * Variable tensors (recurrent state) are written by the op that reads them, so they are ready from the start.
 */
function readBeforeWritten(model: Model): string[] {
  const ready = new Set(model.graph.inputs);
  const late: string[] = [];
  const isVariable = (v: Value): boolean => tfliteRecord<TfliteValueRecord>(v.extras)?.tensor.isVariable === true;
  for (const node of model.graph.nodes) {
    for (const v of node.inputs) if (v && !v.initializer && !ready.has(v) && !isVariable(v)) late.push(`${node.name}: ${v.name}`);
    for (const v of node.outputs) if (v) ready.add(v);
  }
  return late;
}

/**
 * Converts `model` (an ONNX IR model; it is not changed) to TFLite, expects every op converted,
 * and compares onnxruntime's outputs with the TFLite runtime's on seeded inputs.
 */
export async function convertAndRun(
  model: Model,
  options: { dims?: Record<string, number>; seed?: number } = {},
): Promise<ConversionCheck> {
  const original = encodeOnnx(model);
  const result = await onnxToTflite(decodeOnnx(original), { dims: options.dims });
  expect(result.unconvertible, JSON.stringify(result.unconvertible)).toEqual([]);
  expect(readBeforeWritten(result.model), 'ops reading a tensor a later op writes').toEqual([]);
  const session = await createTfliteSession(encodeTflite(result.model));
  const onnx = await ort.InferenceSession.create(original);
  try {
    const feeds = result.inputs.map((input, i) => feedFor(input.dtype, input.shape, (options.seed ?? 11) + i));
    const want = await onnx.run(Object.fromEntries(result.inputs.map((input, i) => [input.name, at(feeds, i).ort])));
    const got = (await session.run(feeds.map((f) => f.tflite))).outputs;
    let maxAbs = 0;
    let scale = 1e-12;
    onnx.outputNames.forEach((name, k) => {
      const x = want[name]?.data as ArrayLike<number | bigint>;
      const y = at(got, k, 'TFLite outputs');
      expect(y.length).toBe(x.length);
      for (let i = 0; i < x.length; i++) {
        const p = Number(x[i]);
        maxAbs = Math.max(maxAbs, Math.abs(p - Number(y[i])));
        scale = Math.max(scale, Math.abs(p));
      }
    });
    return { relative: maxAbs / scale, maxAbs, result, ops: result.model.graph.nodes.map((n) => n.opType) };
  } finally {
    await session.dispose();
    await onnx.release();
  }
}
