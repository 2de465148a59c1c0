// TFLite IF → ONNX If: a model whose condition is computed at run time (c > 0) picks one of two
// subgraphs (then: x + constant, else: x · x). Both ways run in the TFLite runtime and the converted
// ONNX model in onnxruntime on the same inputs.
import ort from 'onnxruntime-node';
import { afterAll, describe, expect, it } from 'vitest';
import { encodeOnnx } from '../../../../src/engine/formats/onnx';
import { decodeTflite, tfliteToOnnx, writeTflite } from '../../../../src/engine/formats/tflite';
import { AddOptionsT } from '../../../../src/engine/formats/tflite/generated/tflite/add-options';
import { BuiltinOperator } from '../../../../src/engine/formats/tflite/generated/tflite/builtin-operator';
import { BuiltinOptions } from '../../../../src/engine/formats/tflite/generated/tflite/builtin-options';
import { IfOptionsT } from '../../../../src/engine/formats/tflite/generated/tflite/if-options';
import { MulOptionsT } from '../../../../src/engine/formats/tflite/generated/tflite/mul-options';
import { TensorType } from '../../../../src/engine/formats/tflite/generated/tflite/tensor-type';
import type { TfliteModel } from '../../../../src/engine/formats/tflite/tflite-model';
import { createTfliteSession, type TfliteSession } from '../../../../src/engine/runtime/tflite';
import { bufferOf, builtinCode, operator, SENTINEL, singleGraphModel, tensor } from '../../helpers/tflite-builders';
import { entry } from '../../../helpers/at';

const sessions: TfliteSession[] = [];
afterAll(async () => Promise.all(sessions.map((s) => s.dispose())));

const options = <T>(type: BuiltinOptions, table: T) => ({ builtinOptions: { type, table, absentVectors: [] } });

/** y = c > 0 ? x + [1, 2, 3, 4] : x · x, with the two branches as subgraphs 1 and 2. */
function ifModel(): TfliteModel {
  const model = singleGraphModel({
    tensors: [
      tensor('c', [1]),
      tensor('x', [1, 4]),
      tensor('zero', [1], TensorType.FLOAT32, { buffer: 1 }),
      tensor('cond', [1], TensorType.BOOL),
      tensor('y', [1, 4]),
    ],
    operators: [operator(0, [0, 2], [3]), operator(1, [3, 1], [4], options(BuiltinOptions.IfOptions, new IfOptionsT(1, 2)))],
    inputs: [0, 1],
    outputs: [4],
    codes: [
      builtinCode(BuiltinOperator.GREATER),
      builtinCode(BuiltinOperator.IF),
      builtinCode(BuiltinOperator.ADD),
      builtinCode(BuiltinOperator.MUL),
    ],
    buffers: [SENTINEL, bufferOf(new Float32Array([0])), bufferOf(new Float32Array([1, 2, 3, 4]))],
  });
  model.subgraphs.push(
    {
      name: 'then',
      tensors: [tensor('tx', [1, 4]), tensor('offset', [1, 4], TensorType.FLOAT32, { buffer: 2 }), tensor('ty', [1, 4])],
      inputs: [0],
      outputs: [2],
      operators: [operator(2, [0, 1], [2], options(BuiltinOptions.AddOptions, new AddOptionsT()))],
      debugMetadataIndex: -1,
    },
    {
      name: 'else',
      tensors: [tensor('ex', [1, 4]), tensor('ey', [1, 4])],
      inputs: [0],
      outputs: [1],
      operators: [operator(3, [0, 0], [1], options(BuiltinOptions.MulOptions, new MulOptionsT()))],
      debugMetadataIndex: -1,
    },
  );
  return model;
}

describe('TFLite IF → ONNX If', () => {
  it('becomes one If with both branches, and picks the branch TFLite picks', async () => {
    const bytes = writeTflite(ifModel());
    const converted = tfliteToOnnx(decodeTflite(bytes));
    expect(converted.unconvertible).toEqual([]);
    const ifs = converted.model.graph.nodes.filter((n) => n.opType === 'If');
    expect(ifs).toHaveLength(1);
    expect(ifs[0]?.attributes.map((a) => a.name).sort()).toEqual(['else_branch', 'then_branch']);
    const session = await createTfliteSession(bytes);
    sessions.push(session);
    const onnx = await ort.InferenceSession.create(encodeOnnx(converted.model));
    const x = new Float32Array([0.5, -1.5, 2, 3]);
    for (const c of [1, -1]) {
      const [want] = (await session.run([new Float32Array([c]), x])).outputs;
      const got = entry(
        await onnx.run({ c: new ort.Tensor('float32', new Float32Array([c]), [1]), x: new ort.Tensor('float32', x, [1, 4]) }),
        'y',
        'ONNX outputs',
      ).data as Float32Array;
      expect(Array.from(got)).toEqual(Array.from(want ?? []));
      expect(Array.from(got)).toEqual(c > 0 ? [1.5, 0.5, 5, 7] : [0.25, 2.25, 4, 9]);
    }
    await onnx.release();
  });

  it('refuses an IF whose branch does not convert, naming the op inside it', () => {
    const model = ifModel();
    const custom = model.operatorCodes.length;
    model.operatorCodes.push({ ...builtinCode(BuiltinOperator.CUSTOM), customCode: 'MyOp' });
    const elseGraph = model.subgraphs[2];
    if (!elseGraph) throw new Error('the model has no else subgraph');
    elseGraph.operators = [operator(custom, [0], [1])];
    const converted = tfliteToOnnx(decodeTflite(writeTflite(model)));
    expect(converted.unconvertible).toHaveLength(1);
    expect(converted.unconvertible[0]?.op).toBe('IF');
    expect(converted.unconvertible[0]?.reason).toMatch(/subgraph 2 cannot be converted: .*MyOp/);
  });
});
