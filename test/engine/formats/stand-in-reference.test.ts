// An original the runtime here refuses gets a stand-in with only what keeps it from loading changed, each
// change said: TFLite Micro's 1-D biases quantized "along dimension 3", open inputs stored as [1, 1], and an
// ONNX operator set onnxruntime does not implement. The stand-ins load and compute what the original means.
import { describe, expect, it } from 'vitest';
import { encodeOnnx } from '../../../src/engine/formats/onnx';
import { standInReference } from '../../../src/engine/formats/stand-in-reference';
import { readTflite, writeTflite } from '../../../src/engine/formats/tflite';
import { BuiltinOperator } from '../../../src/engine/formats/tflite/generated/tflite/builtin-operator';
import { TensorType } from '../../../src/engine/formats/tflite/generated/tflite/tensor-type';
import { intAttr } from '../../../src/engine/passes/util/attributes';
import { createTfliteSession } from '../../../src/engine/runtime/tflite';
import { GraphBuilder, randomFeeds, runOnnx } from '../passes/graph-builder';
import { addModel, builtinCode, operator, singleGraphModel, tensor } from '../helpers/tflite-builders';

describe('standInReference', () => {
  it('gives nothing for a model that runs as it is', async () => {
    expect(await standInReference(writeTflite(addModel()), 'tflite')).toBeUndefined();
  });

  it('sizes open TFLite inputs stored as 1 at the representative sizes, and the stand-in runs', async () => {
    const model = singleGraphModel({
      tensors: [tensor('x', [1, 1], TensorType.FLOAT32, { shapeSignature: [-1, -1] }), tensor('y', [1, 1])],
      operators: [operator(0, [0], [1])],
      inputs: [0],
      outputs: [1],
      codes: [builtinCode(BuiltinOperator.RELU)],
    });
    const standIn = await standInReference(writeTflite(model), 'tflite');
    expect(standIn?.changes).toEqual(['input x at [1, 512] (stored [1, 1]; its open dimensions at representative sizes)']);
    const session = await createTfliteSession(standIn!.bytes);
    expect(session.inputs[0]?.shape).toEqual([1, 512]);
    await session.dispose();
  });

  it('moves per-channel quantization to the one dimension a 1-D tensor has', async () => {
    const model = addModel([1, 4]);
    const t = model.subgraphs[0]!.tensors[0]!;
    Object.assign(t, {
      type: TensorType.INT8,
      quantization: { min: null, max: null, scale: [1, 2, 3, 4], zeroPoint: [0n, 0n, 0n, 0n], quantizedDimension: 3, custom: null },
      shape: [4],
    });
    const standIn = await standInReference(writeTflite(model), 'tflite');
    expect(standIn?.changes).toEqual(['1 tensor(s) quantized per channel along the one dimension they have (as TFLite Micro reads them)']);
    expect(readTflite(standIn!.bytes).subgraphs[0]?.tensors[0]?.quantization?.quantizedDimension).toBe(0);
  });

  it('upgrades an ONNX operator set onnxruntime does not implement', async () => {
    const b = new GraphBuilder(1);
    b.model.irVersion = 3;
    const x = b.input('x', [2, 3]);
    b.output(b.op('Add', [x, b.weight('b', [3])], { broadcast: intAttr(1) }), [2, 3]);
    const bytes = encodeOnnx(b.model);
    await expect(runOnnx(bytes, randomFeeds(b.model))).rejects.toThrow();
    const standIn = await standInReference(bytes, 'onnx');
    expect(standIn?.changes).toEqual(["upgraded from opset 1 to 13 by Lithe's upgrade step"]);
    await expect(runOnnx(standIn!.bytes, randomFeeds(b.model))).resolves.toBeDefined();
  });
});
