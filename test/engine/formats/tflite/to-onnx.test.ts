import ort from 'onnxruntime-node';
import { afterAll, describe, expect, it } from 'vitest';
import { encodeOnnx } from '../../../../src/engine/formats/onnx';
import { decodeTflite, writeTflite } from '../../../../src/engine/formats/tflite';
import { convertModelFormat } from '../../../../src/engine/formats/tflite';
import { convertTfliteToOnnx, tfliteToOnnx } from '../../../../src/engine/formats/tflite/convert/to-onnx';
import type { TfliteModel } from '../../../../src/engine/formats/tflite/tflite-model';
import { createTfliteSession, type TfliteSession } from '../../../../src/engine/runtime/tflite';
import { BuiltinOperator } from '../../../../src/engine/formats/tflite/generated/tflite/builtin-operator';
import { TensorType } from '../../../../src/engine/formats/tflite/generated/tflite/tensor-type';
import { addModel, bufferOf, builtinCode, operator, pseudoRandom, smallCnnModel, tensor } from '../../helpers/tflite-builders';
import { at, entry } from '../../../helpers/at';

const sessions: TfliteSession[] = [];
afterAll(async () => Promise.all(sessions.map((s) => s.dispose())));

async function compare(model: TfliteModel, feeds: Float32Array[]): Promise<number> {
  const bytes = writeTflite(model);
  const tfl = await createTfliteSession(bytes);
  sessions.push(tfl);
  const expected = (await tfl.run(feeds)).outputs;
  const onnx = await ort.InferenceSession.create(encodeOnnx(convertTfliteToOnnx(decodeTflite(bytes))));
  const ortFeeds = Object.fromEntries(tfl.inputs.map((info, i) => [info.name, new ort.Tensor('float32', at(feeds, i), info.shape)]));
  const got = await onnx.run(ortFeeds);
  let worst = 0;
  tfl.outputs.forEach((info, i) => {
    const output = entry(got, info.name, 'ONNX outputs');
    const y = output.data as Float32Array;
    expect(output.dims).toEqual(info.shape);
    at(expected, i).forEach((v, k) => {
      worst = Math.max(worst, Math.abs(v - at(y, k)) / Math.max(1e-6, Math.abs(v)));
    });
  });
  return worst;
}

describe('TFLite → ONNX conversion', () => {
  it('keeps names, NHWC shapes and values for convolution, depthwise, pooling, FC and softmax', async () => {
    expect(await compare(smallCnnModel(), [pseudoRandom(168, 9)])).toBeLessThan(1e-4);
  });

  it('stores no weight that no node reads (a transposed filter replaces its original)', () => {
    const graph = tfliteToOnnx(decodeTflite(writeTflite(smallCnnModel()))).model.graph;
    const read = new Set(graph.nodes.flatMap((n) => n.inputs.flatMap((v) => (v ? [v.name] : []))));
    expect(graph.initializers.length).toBeGreaterThan(0);
    expect(graph.initializers.filter((t) => !read.has(t.name)).map((t) => t.name)).toEqual([]);
  });

  it('converts elementwise ops with their inputs by name', async () => {
    expect(await compare(addModel([1, 4]), [pseudoRandom(4, 1), pseudoRandom(4, 2)])).toBeLessThan(1e-6);
  });

  it('densifies sparse constants (DENSIFY) the way TFLite does', async () => {
    const model = addModel([4, 4]);
    model.operatorCodes.push(builtinCode(BuiltinOperator.DENSIFY));
    at(model.subgraphs, 0).tensors.push(
      tensor('sparse', [4, 4], TensorType.FLOAT32, {
        buffer: 1,
        sparsity: {
          traversalOrder: [0, 1],
          blockMap: null,
          dimMetadata: [
            { format: 0, denseSize: 4, arraySegments: null, arrayIndices: null },
            {
              format: 1,
              denseSize: 0,
              arraySegments: { kind: 'int32', values: [0, 1, 1, 3, 3] },
              arrayIndices: { kind: 'int32', values: [0, 1, 3] },
            },
          ],
        },
      }),
    );
    model.buffers.push(bufferOf(new Float32Array([1, 2, 3])));
    at(model.subgraphs, 0).operators.unshift(operator(1, [3], [1]));
    at(model.subgraphs, 0).inputs = [0];
    expect(await compare(model, [pseudoRandom(16, 3)])).toBeLessThan(1e-6);
    const onnx = convertTfliteToOnnx(decodeTflite(writeTflite(model)));
    const dense = onnx.graph.initializers.find((t) => t.name.endsWith('_dense'))!;
    expect(Array.from(dense.toTypedArray() as Float32Array)).toEqual([1, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 3, 0, 0, 0, 0]);
  });

  it('lists what it cannot convert: op, node and why', () => {
    const model = addModel();
    model.operatorCodes = [{ code: 32, builtinCode: 32, deprecatedBuiltinCode: 32, customCode: 'MyOp', version: 1 }];
    const { unconvertible } = tfliteToOnnx(decodeTflite(writeTflite(model)));
    expect(unconvertible).toEqual([{ op: 'MyOp', node: 'y', reason: 'custom operators have no ONNX equivalent' }]);
    expect(() => convertTfliteToOnnx(decodeTflite(writeTflite(model)), 'm.tflite')).toThrow(
      /m\.tflite: cannot convert to ONNX: MyOp \(node 'y'\)/,
    );
  });
});

describe('convertModelFormat', () => {
  it('converts both ways and refuses partial conversions by default', async () => {
    const tflite = decodeTflite(writeTflite(smallCnnModel()));
    const onnx = (await convertModelFormat(tflite, 'onnx')).model;
    expect(onnx.format).toBe('onnx');
    expect((await convertModelFormat(onnx, 'tflite')).model.format).toBe('tflite');
    expect((await convertModelFormat(tflite, 'tflite')).model).toBe(tflite);
    const custom = addModel();
    custom.operatorCodes = [{ code: 32, builtinCode: 32, deprecatedBuiltinCode: 32, customCode: 'MyOp', version: 1 }];
    await expect(convertModelFormat(decodeTflite(writeTflite(custom)), 'onnx', { file: 'c.tflite' })).rejects.toThrow(
      /c\.tflite: cannot convert to ONNX: MyOp/,
    );
    expect((await convertModelFormat(decodeTflite(writeTflite(custom)), 'onnx', { allowPartial: true })).unconvertible).toHaveLength(1);
  });
});
