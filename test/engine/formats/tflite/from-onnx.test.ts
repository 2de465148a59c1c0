import { create } from '@bufbuild/protobuf';
import { AttributeProtoSchema } from 'onnx-buf';
import ort from 'onnxruntime-node';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeOnnx } from '../../../../src/engine/formats/onnx';
import { convertOnnxToTflite, encodeTflite, onnxToTflite } from '../../../../src/engine/formats/tflite';
import { createTfliteSession, type TfliteSession } from '../../../../src/engine/runtime/tflite';
import { encode, floatTensor, graph, int64Tensor, intAttr, intsAttr, model, node, valueInfo } from '../../helpers/onnx-builders';
import { pseudoRandom } from '../../helpers/tflite-builders';
import { at, entry } from '../../../helpers/at';

const FLOAT = 1;
const sessions: TfliteSession[] = [];
afterAll(async () => Promise.all(sessions.map((s) => s.dispose())));

/** NCHW float[N,2,6,6] → Conv(3×3, pads 1) → Relu → MaxPool(2×2) → depthwise Conv → Flatten → Gemm → Softmax. */
function smallOnnxCnn(): Uint8Array {
  const w = (n: number, seed: number) => Array.from(pseudoRandom(n, seed));
  return encode(
    model(
      graph({
        input: [valueInfo('image', FLOAT, ['N', 2, 6, 6])],
        output: [valueInfo('probs', FLOAT, ['N', 5])],
        initializer: [
          floatTensor('w1', [4, 2, 3, 3], w(72, 1)),
          floatTensor('b1', [4], w(4, 2)),
          floatTensor('w2', [4, 1, 3, 3], w(36, 3)),
          floatTensor('fc', [5, 36], w(180, 4)),
          floatTensor('fcb', [5], w(5, 5)),
          int64Tensor('unused', [1], [0]),
        ],
        node: [
          node('Conv', ['image', 'w1', 'b1'], ['c1'], [intsAttr('kernel_shape', [3, 3]), intsAttr('pads', [1, 1, 1, 1])]),
          node('Relu', ['c1'], ['r1']),
          node('MaxPool', ['r1'], ['p1'], [intsAttr('kernel_shape', [2, 2]), intsAttr('strides', [2, 2])]),
          node('Conv', ['p1', 'w2'], ['c2'], [intsAttr('kernel_shape', [3, 3]), intsAttr('pads', [1, 1, 1, 1]), intAttr('group', 4)]),
          node('Flatten', ['c2'], ['flat'], [intAttr('axis', 1)]),
          node('Gemm', ['flat', 'fc', 'fcb'], ['logits'], [intAttr('transB', 1)]),
          node('Softmax', ['logits'], ['probs'], [intAttr('axis', -1)]),
        ],
      }),
    ),
  );
}

describe('ONNX → TFLite conversion', () => {
  it('runs in TFLite with the ONNX model’s inputs, outputs and values', async () => {
    const bytes = smallOnnxCnn();
    const tflite = encodeTflite(await convertOnnxToTflite(decodeOnnx(bytes)));
    const session = await createTfliteSession(tflite);
    sessions.push(session);
    expect(session.inputs.map((i) => [i.name, i.shape])).toEqual([['image', [1, 2, 6, 6]]]);
    expect(session.outputs.map((o) => [o.name, o.shape])).toEqual([['probs', [1, 5]]]);
    const x = pseudoRandom(72, 9);
    const got = at((await session.run([x])).outputs, 0);
    const onnx = await ort.InferenceSession.create(bytes);
    const want = entry(await onnx.run({ image: new ort.Tensor('float32', x, [1, 2, 6, 6]) }), 'probs').data as Float32Array;
    want.forEach((v, i) => expect(Math.abs(v - at(got, i))).toBeLessThan(1e-5));
  });

  it('keeps data in NHWC between convolutions: one transpose in, one out', async () => {
    const { model: converted } = await onnxToTflite(decodeOnnx(smallOnnxCnn()));
    const ops = converted.graph.nodes.map((n) => n.opType);
    // conv → relu (fused) → pool → depthwise conv all work in NHWC; Flatten needs the ONNX layout back
    expect(ops.filter((o) => o === 'TRANSPOSE')).toHaveLength(2);
    expect(ops).toContain('DEPTHWISE_CONV_2D');
    expect(ops).not.toContain('RELU');
  });

  it('converts resize, depth-to-space, slices and leaky ReLU', async () => {
    const strAttr = (name: string, value: string) => create(AttributeProtoSchema, { name, type: 3, s: new TextEncoder().encode(value) });
    const bytes = encode(
      model(
        graph({
          input: [valueInfo('x', FLOAT, [1, 8, 3, 4])],
          output: [valueInfo('y', FLOAT, [1, 2, 4, 6])],
          initializer: [
            int64Tensor('sizes', [4], [1, 8, 6, 8]),
            int64Tensor('starts', [2], [1, 0]),
            int64Tensor('ends', [2], [5, 6]),
            int64Tensor('axes', [2], [2, 3]),
          ],
          node: [
            node(
              'Resize',
              ['x', '', '', 'sizes'],
              ['r'],
              [strAttr('mode', 'linear'), strAttr('coordinate_transformation_mode', 'half_pixel')],
            ),
            node('DepthToSpace', ['r'], ['d'], [intAttr('blocksize', 2), strAttr('mode', 'DCR')]),
            node('Slice', ['d', 'starts', 'ends', 'axes'], ['s']),
            node('LeakyRelu', ['s'], ['y'], [create(AttributeProtoSchema, { name: 'alpha', type: 1, f: 0.25 })]),
          ],
        }),
        13,
      ),
    );
    const tflite = encodeTflite(await convertOnnxToTflite(decodeOnnx(bytes)));
    const session = await createTfliteSession(tflite);
    sessions.push(session);
    const x = pseudoRandom(96, 4);
    const got = at((await session.run([x])).outputs, 0);
    const onnx = await ort.InferenceSession.create(bytes);
    const want = entry(await onnx.run({ x: new ort.Tensor('float32', x, [1, 8, 3, 4]) }), 'y').data as Float32Array;
    expect(at(session.outputs, 0).shape).toEqual([1, 2, 4, 6]);
    want.forEach((v, i) => expect(Math.abs(v - at(got, i))).toBeLessThan(1e-5));
  });

  it('lists ONNX ops it cannot convert', async () => {
    const bytes = encode(
      model(
        graph({
          input: [valueInfo('x', FLOAT, [1, 4])],
          output: [valueInfo('y', FLOAT, [1, 4])],
          node: [node('Erf', ['x'], ['e'], [], 'erf_node'), node('Relu', ['e'], ['y'])],
        }),
      ),
    );
    const { unconvertible } = await onnxToTflite(decodeOnnx(bytes));
    expect(unconvertible).toEqual([{ op: 'Erf', node: 'erf_node', reason: 'TFLite has no error-function (Erf) operator' }]);
    await expect(convertOnnxToTflite(decodeOnnx(bytes), 'x.onnx')).rejects.toThrow(
      /x\.onnx: cannot convert to TFLite: Erf \(node 'erf_node'\)/,
    );
  });
});
