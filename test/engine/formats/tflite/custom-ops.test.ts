// MediaPipe's custom Convolution2DTransposeBias converts to ONNX ConvTranspose and lowers to TFLite's own
// TRANSPOSE_CONV. The TFLite runtime here has no kernel for the custom op, so both are checked against a
// reference written from MediaPipe's kernel (transpose_conv_bias.cc): bias everywhere, then each input pixel
// spreads its filter window onto the output at (in · stride − pad/2), the output size and pad computed by it.
import ort from 'onnxruntime-node';
import { afterAll, describe, expect, it } from 'vitest';
import { encodeOnnx } from '../../../../src/engine/formats/onnx';
import { decodeTflite, readTflite, tfliteToOnnx, writeTflite } from '../../../../src/engine/formats/tflite';
import { lowerCustomOps } from '../../../../src/engine/formats/tflite/convert/lower-custom-ops';
import { BuiltinOperator } from '../../../../src/engine/formats/tflite/generated/tflite/builtin-operator';
import { createTfliteSession, type TfliteSession } from '../../../../src/engine/runtime/tflite';
import { bufferOf, builtinCode, operator, pseudoRandom, SENTINEL, singleGraphModel, tensor } from '../../helpers/tflite-builders';
import { entry } from '../../../helpers/at';

const sessions: TfliteSession[] = [];
afterAll(async () => Promise.all(sessions.map((s) => s.dispose())));

interface Case {
  h: number;
  w: number;
  c: number;
  o: number;
  k: [number, number];
  stride: [number, number];
  same: boolean;
}

function outSize(n: number, k: number, s: number, same: boolean): [number, number] {
  const pad = same ? Math.max(0, k - ((n - 1) % s) - 1) : 0;
  return [s * (n - 1) + k - pad, Math.floor(pad / 2)];
}

/** MediaPipe's TransposeConvBias loop, NHWC, filter [O, KH, KW, I]. */
function reference(t: Case, x: Float32Array, filter: Float32Array, bias: Float32Array): { y: Float32Array; shape: number[] } {
  const [outH, padH] = outSize(t.h, t.k[0], t.stride[0], t.same);
  const [outW, padW] = outSize(t.w, t.k[1], t.stride[1], t.same);
  const y = new Float32Array(outH * outW * t.o);
  for (let i = 0; i < outH * outW; i++) for (let oc = 0; oc < t.o; oc++) y[i * t.o + oc] = bias[oc]!;
  for (let iy = 0; iy < t.h; iy++)
    for (let ix = 0; ix < t.w; ix++)
      for (let ic = 0; ic < t.c; ic++)
        for (let fy = 0; fy < t.k[0]; fy++)
          for (let fx = 0; fx < t.k[1]; fx++)
            for (let oc = 0; oc < t.o; oc++) {
              const oy = iy * t.stride[0] - padH + fy;
              const ox = ix * t.stride[1] - padW + fx;
              if (oy < 0 || oy >= outH || ox < 0 || ox >= outW) continue;
              const v = x[(iy * t.w + ix) * t.c + ic]! * filter[((oc * t.k[0] + fy) * t.k[1] + fx) * t.c + ic]!;
              y[(oy * outW + ox) * t.o + oc] = Math.fround(y[(oy * outW + ox) * t.o + oc]! + v);
            }
  return { y, shape: [1, outH, outW, t.o] };
}

function customModel(t: Case, filter: Float32Array, bias: Float32Array, outShape: number[]) {
  const options = new Uint8Array(Int32Array.from([t.same ? 1 : 2, t.stride[1], t.stride[0]]).buffer);
  const model = singleGraphModel({
    tensors: [
      tensor('x', [1, t.h, t.w, t.c]),
      tensor('filter', [t.o, t.k[0], t.k[1], t.c], undefined, { buffer: 1 }),
      tensor('bias', [t.o], undefined, { buffer: 2 }),
      tensor('y', outShape),
    ],
    operators: [operator(0, [0, 1, 2], [3], { customOptions: options })],
    inputs: [0],
    outputs: [3],
    codes: [{ ...builtinCode(BuiltinOperator.CUSTOM), customCode: 'Convolution2DTransposeBias' }],
    buffers: [SENTINEL, bufferOf(filter), bufferOf(bias)],
  });
  return model;
}

const CASES: [string, Case][] = [
  ['2×2 stride 2 SAME (the selfie segmentation layer)', { h: 4, w: 5, c: 3, o: 2, k: [2, 2], stride: [2, 2], same: true }],
  ['3×3 stride 2 SAME (padded)', { h: 5, w: 4, c: 3, o: 4, k: [3, 3], stride: [2, 2], same: true }],
  ['4×3 stride 2×1 VALID', { h: 3, w: 4, c: 2, o: 3, k: [4, 3], stride: [2, 1], same: false }],
];

const relativeError = (got: ArrayLike<number>, want: Float32Array): number => {
  let worst = 0;
  let scale = 1e-12;
  want.forEach((v, i) => {
    worst = Math.max(worst, Math.abs(v - Number(got[i])));
    scale = Math.max(scale, Math.abs(v));
  });
  return worst / scale;
};

describe('MediaPipe Convolution2DTransposeBias', () => {
  it.each(CASES)('converts to ONNX and lowers to TFLite with the results of its definition: %s', async (_, t) => {
    const filter = pseudoRandom(t.o * t.k[0] * t.k[1] * t.c, 3);
    const bias = pseudoRandom(t.o, 4);
    const x = pseudoRandom(t.h * t.w * t.c, 5);
    const want = reference(t, x, filter, bias);
    const bytes = writeTflite(customModel(t, filter, bias, want.shape));

    const converted = tfliteToOnnx(decodeTflite(bytes));
    expect(converted.unconvertible).toEqual([]);
    expect(converted.model.graph.nodes.map((n) => n.opType)).toContain('ConvTranspose');
    const onnx = await ort.InferenceSession.create(encodeOnnx(converted.model));
    const got = entry(await onnx.run({ x: new ort.Tensor('float32', x, [1, t.h, t.w, t.c]) }), 'y', 'ONNX outputs');
    await onnx.release();
    expect(got.dims).toEqual(want.shape);
    expect(relativeError(got.data as Float32Array, want.y)).toBeLessThan(1e-6);

    const lowered = lowerCustomOps(readTflite(bytes));
    expect(lowered.lowered).toEqual(['Convolution2DTransposeBias']);
    const session = await createTfliteSession(writeTflite(lowered.model));
    sessions.push(session);
    const run = (await session.run([x])).outputs[0] ?? [];
    expect(run.length).toBe(want.y.length);
    expect(relativeError(run, want.y)).toBeLessThan(1e-6);
  });

  it('says why it cannot convert options it cannot read', () => {
    const t = CASES[0]![1];
    const model = customModel(t, pseudoRandom(24), pseudoRandom(2), [1, 8, 10, 2]);
    model.subgraphs[0]!.operators[0]!.customOptions = new Uint8Array([1, 0, 0, 0]);
    const { unconvertible } = tfliteToOnnx(decodeTflite(writeTflite(model)));
    expect(unconvertible[0]?.reason).toMatch(/padding \(1 SAME or 2 VALID\), stride width and stride height/);
    expect(lowerCustomOps(model).lowered).toEqual([]);
  });
});
