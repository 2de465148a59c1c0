// TFLite's int8 HARD_SWISH converted to ONNX gives the int8 values TFLite gives for every one of the 256
// inputs: the converter looks up the kernel's fixed-point results instead of computing the float formula
// between DequantizeLinear and QuantizeLinear (which is one step off on some inputs).
import ort from 'onnxruntime-node';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeOnnx, encodeOnnx } from '../../../../src/engine/formats/onnx';
import { decodeTflite, encodeTflite, onnxToTflite, tfliteToOnnx, writeTflite } from '../../../../src/engine/formats/tflite';
import { hardSwishTable } from '../../../../src/engine/formats/tflite/convert/integer-hard-swish';
import { BuiltinOperator } from '../../../../src/engine/formats/tflite/generated/tflite/builtin-operator';
import { TensorType } from '../../../../src/engine/formats/tflite/generated/tflite/tensor-type';
import { createTfliteSession, type TfliteSession } from '../../../../src/engine/runtime/tflite';
import { builtinCode, operator, quant, singleGraphModel, tensor } from '../../helpers/tflite-builders';
import { entry } from '../../../helpers/at';

const sessions: TfliteSession[] = [];
afterAll(async () => Promise.all(sessions.map((s) => s.dispose())));

const hardSwish = (sx: number, zx: number, sy: number, zy: number) =>
  singleGraphModel({
    tensors: [tensor('x', [1, 256], TensorType.INT8, quant(sx, zx)), tensor('y', [1, 256], TensorType.INT8, quant(sy, zy))],
    operators: [operator(0, [0], [1])],
    inputs: [0],
    outputs: [1],
    codes: [builtinCode(BuiltinOperator.HARD_SWISH)],
  });

// scales of real layers (selfie segmentation int8) and wider / narrower ones, zero points off centre
const CASES: [number, number, number, number][] = [
  [0.0412, -3, 0.0237, -111],
  [0.1, 20, 0.05, -128],
  [0.011, -128, 0.009, -100],
  [0.5, 0, 0.3, -118],
];
const every = Int8Array.from({ length: 256 }, (_, i) => i - 128);

describe('TFLite int8 HARD_SWISH → ONNX', () => {
  it.each(CASES)("gives TFLite's value for every int8 input (x %f, %i → y %f, %i)", async (sx, zx, sy, zy) => {
    const bytes = writeTflite(hardSwish(sx, zx, sy, zy));
    const session = await createTfliteSession(bytes);
    sessions.push(session);
    const want = Array.from((await session.run([every])).outputs[0] ?? []);
    expect(Array.from(hardSwishTable(sx, zx, sy, zy) ?? [])).toEqual(want);
    const converted = tfliteToOnnx(decodeTflite(bytes));
    expect(converted.model.graph.nodes.map((n) => n.opType)).not.toContain('HardSwish');
    const onnx = await ort.InferenceSession.create(encodeOnnx(converted.model));
    const got = entry(await onnx.run({ x: new ort.Tensor('int8', every, [1, 256]) }), 'y', 'ONNX outputs').data as Int8Array;
    await onnx.release();
    expect(Array.from(got)).toEqual(want);
    const back = await onnxToTflite(decodeOnnx(encodeOnnx(converted.model)));
    expect(back.unconvertible).toEqual([]);
    const again = await createTfliteSession(encodeTflite(back.model));
    sessions.push(again);
    expect(Array.from((await again.run([every])).outputs[0] ?? [])).toEqual(want);
  });
});
