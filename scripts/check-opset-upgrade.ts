// Checks the upgrade-opset pass on the legacy CNTK MNIST model: the opset-1 file (which
// onnxruntime refuses) is upgraded to opset 13, must load, give the same outputs as the
// opset-13 export of the same weights, and keep its accuracy on the MNIST test images.
//
// usage: node bin/run-ts.js scripts/check-opset-upgrade.ts <models dir>
//   <models dir>/onnx/mnist-cntk-opset{1,13}.onnx, <models dir>/data/mnist-npm10k-{images-idx3,labels-idx1}-ubyte.gz
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import ort from 'onnxruntime-node';
import { encodeOnnx, readOnnx } from '../src/engine/formats/onnx';
import { upgradeOpset } from '../src/engine/passes/upgrade-opset';

function readIdx(path: string): { dims: number[]; data: Uint8Array } {
  const bytes = gunzipSync(readFileSync(path));
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const rank = bytes[3];
  const dims = Array.from({ length: rank }, (_, i) => view.getUint32(4 + 4 * i));
  return { dims, data: bytes.subarray(4 + 4 * rank) };
}

async function main(): Promise<void> {
  const dir = process.argv[2];
  if (!dir) throw new Error('usage: check-opset-upgrade.ts <models dir>');
  const legacyPath = join(dir, 'onnx', 'mnist-cntk-opset1.onnx');
  const referencePath = join(dir, 'onnx', 'mnist-cntk-opset13.onnx');

  let refused = '';
  await ort.InferenceSession.create(legacyPath).then(
    () => (refused = 'loaded (unexpected)'),
    (e: unknown) => (refused = e instanceof Error ? e.message.split('\n')[0] : String(e)),
  );
  console.log(`onnxruntime on the original opset-1 file: ${refused}`);

  const model = readOnnx(legacyPath);
  const result = await upgradeOpset.run(model, upgradeOpset.options.parse({ target: 13 }), {});
  console.log(`upgrade-opset: ${JSON.stringify(result.stats)}`);
  const upgraded = await ort.InferenceSession.create(encodeOnnx(model));
  const reference = await ort.InferenceSession.create(referencePath);

  const images = readIdx(join(dir, 'data', 'mnist-npm10k-images-idx3-ubyte.gz'));
  const labels = readIdx(join(dir, 'data', 'mnist-npm10k-labels-idx1-ubyte.gz'));
  const [count, rows, cols] = images.dims;
  const size = rows * cols;
  let correct = 0;
  let referenceCorrect = 0;
  let maxAbs = 0;
  let maxRef = 0;
  for (let i = 0; i < count; i++) {
    const pixels = Float32Array.from(images.data.subarray(i * size, (i + 1) * size), (p) => p / 255);
    const feeds = { Input3: new ort.Tensor('float32', pixels, [1, 1, rows, cols]) };
    const a = (await upgraded.run(feeds)).Plus214_Output_0.data as Float32Array;
    const b = (await reference.run(feeds)).Plus214_Output_0.data as Float32Array;
    const argmax = (x: Float32Array): number => x.indexOf(Math.max(...x));
    if (argmax(a) === labels.data[i]) correct++;
    if (argmax(b) === labels.data[i]) referenceCorrect++;
    for (let k = 0; k < a.length; k++) {
      maxAbs = Math.max(maxAbs, Math.abs(a[k] - b[k]));
      maxRef = Math.max(maxRef, Math.abs(b[k]));
    }
  }
  const pct = (n: number): string => `${((100 * n) / count).toFixed(2)} %`;
  console.log(`images: ${count}`);
  console.log(`accuracy upgraded opset-1 model: ${pct(correct)}  (opset-13 reference: ${pct(referenceCorrect)})`);
  console.log(`outputs vs reference: max abs diff ${maxAbs.toExponential(3)}, max relative ${(maxAbs / maxRef).toExponential(3)}`);
  const ok = correct === referenceCorrect && maxAbs / maxRef <= 1e-5;
  console.log(ok ? 'OK' : 'MISMATCH');
  if (!ok) process.exitCode = 1;
}

await main();
