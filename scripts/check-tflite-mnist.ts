// Top-1 accuracy of a 28×28 classifier (MNIST, Fashion-MNIST) on IDX data:
//   node bin/run-ts.js scripts/check-tflite-mnist.ts [--onnx [--expose-state]] <model.tflite> <images-idx3-ubyte.gz> <labels-idx1-ubyte.gz> [limit]
//     the TFLite runtime, and with --onnx also the model converted to ONNX in onnxruntime-node (one
//     plain call per image; with --expose-state the recurrent state is carried from image to image)
//   node bin/run-ts.js scripts/check-tflite-mnist.ts <model.onnx> <images…> <labels…> [limit]
//     the ONNX original in onnxruntime-node and the model converted to TFLite in the TFLite runtime
// Pixels are fed as value/255 (float inputs) or quantized with the input's own scale and zero point.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import ort from 'onnxruntime-node';
import { encodeOnnx } from '../src/engine/formats/onnx';
import { decodeOnnx } from '../src/engine/formats/onnx';
import { convertOnnxToTflite, decodeTflite, describeUnconvertible, encodeTflite, tfliteToOnnx } from '../src/engine/formats/tflite';
import { createTfliteSession, type TfliteTensorInfo, type TfliteTypedArray } from '../src/engine/runtime/tflite';
import { at, defined, entry } from '../test/helpers/at';
import { readIdxImages, readIdxLabels } from './support/read-idx';

const args = process.argv.slice(2);
const withOnnx = args.includes('--onnx');
const exposeState = args.includes('--expose-state');
const [modelPath, imagesPath, labelsPath, limitArg] = args.filter((a) => !a.startsWith('--'));
if (!modelPath || !imagesPath || !labelsPath) {
  console.error('usage: check-tflite-mnist [--onnx [--expose-state]] <model.tflite> <images-idx3-ubyte.gz> <labels-idx1-ubyte.gz> [limit]');
  process.exit(2);
}

function encode(info: TfliteTensorInfo, pixels: Uint8Array): TfliteTypedArray {
  if (info.dtype === 'float32') return Float32Array.from(pixels, (p) => p / 255);
  const q = defined(info.quantization, `quantization of input ${info.name} (${info.dtype})`);
  const scale = at(q.scale, 0, `scales of input ${info.name}`);
  const zeroPoint = at(q.zeroPoint, 0, `zero points of input ${info.name}`);
  const values = Array.from(pixels, (p) => Math.round(p / 255 / scale) + zeroPoint);
  return info.dtype === 'int8'
    ? Int8Array.from(values, (v) => Math.max(-128, Math.min(127, v)))
    : Uint8Array.from(values, (v) => Math.max(0, Math.min(255, v)));
}

const argmax = (a: ArrayLike<number>): number => {
  let best = 0;
  for (let i = 1; i < a.length; i++) if (Number(a[i]) > Number(a[best])) best = i;
  return best;
};

const images = readIdxImages(imagesPath);
const labels = readIdxLabels(labelsPath, images.count);
const pixels = images.rows * images.cols;
const count = Math.min(Number(limitArg ?? labels.length), labels.length);
const fromOnnx = modelPath.endsWith('.onnx');
const original = readFileSync(modelPath);
const bytes = fromOnnx ? encodeTflite(await convertOnnxToTflite(decodeOnnx(original, { file: modelPath }), modelPath)) : original;
const session = await createTfliteSession(bytes, { file: basename(modelPath) });
// The ONNX model keeps the recurrent state inside (each call starts from zero); with --expose-state it
// is an extra input/output pair this loop carries from one image to the next.
const converted = withOnnx && !fromOnnx ? tfliteToOnnx(decodeTflite(bytes, { file: modelPath }), { exposeState }) : null;
if (converted?.unconvertible.length) throw new Error(describeUnconvertible(converted.unconvertible));
const onnx = fromOnnx
  ? await ort.InferenceSession.create(original)
  : converted
    ? await ort.InferenceSession.create(encodeOnnx(converted.model))
    : null;
const stateTensor = (dtype: string, bytes: Uint8Array, shape: number[]): ort.Tensor => {
  const copy = bytes.slice();
  const data =
    dtype === 'float32'
      ? new Float32Array(copy.buffer)
      : dtype === 'int16'
        ? new Int16Array(copy.buffer)
        : dtype === 'int8'
          ? new Int8Array(copy.buffer)
          : copy;
  return new ort.Tensor(dtype as 'float32', data as Float32Array, shape);
};
const state: Record<string, ort.Tensor> = Object.fromEntries(
  (converted?.states ?? []).map((s) => [s.input, stateTensor(s.dtype, s.initial, s.shape)]),
);
const input = at(session.inputs, 0, `inputs of ${modelPath}`);
const outputName = at(session.outputs, 0, `outputs of ${modelPath}`).name;
let tfliteRight = 0;
let onnxRight = 0;
let agree = 0;
for (let n = 0; n < count; n++) {
  const feed = encode(input, images.pixels.subarray(n * pixels, (n + 1) * pixels));
  const a = argmax(at((await session.run([feed])).outputs, 0, 'TFLite outputs'));
  if (a === labels[n]) tfliteRight++;
  if (onnx) {
    const out = await onnx.run({ ...state, [input.name]: new ort.Tensor(input.dtype as 'float32', feed as Float32Array, input.shape) });
    for (const s of converted?.states ?? []) state[s.input] = entry(out, s.output, 'ONNX outputs');
    const b = argmax(entry(out, outputName, 'ONNX outputs').data as ArrayLike<number>);
    if (b === labels[n]) onnxRight++;
    if (a === b) agree++;
  }
}
await session.dispose();
const pct = (k: number) => `${((100 * k) / count).toFixed(2)} %`;
const tfliteLabel = fromOnnx ? 'converted to TFLite' : 'TFLite';
const onnxLabel = fromOnnx ? 'ONNX original' : 'converted to ONNX';
console.log(
  `${basename(modelPath)} on ${count} images: ${tfliteLabel} ${pct(tfliteRight)} (${tfliteRight})` +
    (onnx ? `, ${onnxLabel} ${pct(onnxRight)} (${onnxRight}), same answer ${pct(agree)}` : ''),
);
