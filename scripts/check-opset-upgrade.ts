// Checks the upgrade-opset pass on the legacy CNTK MNIST model: the opset-1 file (which
// onnxruntime refuses) is upgraded to opset 13, must load, give the same outputs as the
// opset-13 export of the same weights, and keep its accuracy on the MNIST test images.
//
// usage: node bin/run-ts.js scripts/check-opset-upgrade.ts <models dir>
//   <models dir>/onnx/mnist-cntk-opset{1,13}.onnx, <models dir>/data/mnist-npm10k-{images-idx3,labels-idx1}-ubyte.gz
import { join } from 'node:path';
import ort from 'onnxruntime-node';
import { encodeOnnx, readOnnx } from '../src/engine/formats/onnx';
import { upgradeOpset } from '../src/engine/passes/upgrade-opset';
import { at, entry } from '../test/helpers/at';
import { readIdxImages, readIdxLabels } from './support/read-idx';

async function main(): Promise<void> {
  const dir = process.argv[2];
  if (!dir) throw new Error('usage: check-opset-upgrade.ts <models dir>');
  const legacyPath = join(dir, 'onnx', 'mnist-cntk-opset1.onnx');
  const referencePath = join(dir, 'onnx', 'mnist-cntk-opset13.onnx');

  let refused = '';
  await ort.InferenceSession.create(legacyPath).then(
    () => (refused = 'loaded (unexpected)'),
    (e: unknown) => (refused = e instanceof Error ? e.message.replace(/\n[\s\S]*/, '') : String(e)),
  );
  console.log(`onnxruntime on the original opset-1 file: ${refused}`);

  const model = readOnnx(legacyPath);
  const result = await upgradeOpset.run(model, upgradeOpset.options.parse({ target: 13 }), {});
  console.log(`upgrade-opset: ${JSON.stringify(result.stats)}`);
  const upgraded = await ort.InferenceSession.create(encodeOnnx(model));
  const reference = await ort.InferenceSession.create(referencePath);

  const { count, rows, cols, pixels: allPixels } = readIdxImages(join(dir, 'data', 'mnist-npm10k-images-idx3-ubyte.gz'));
  const labels = readIdxLabels(join(dir, 'data', 'mnist-npm10k-labels-idx1-ubyte.gz'), count);
  const size = rows * cols;
  let correct = 0;
  let referenceCorrect = 0;
  let maxAbs = 0;
  let maxRef = 0;
  for (let i = 0; i < count; i++) {
    const pixels = Float32Array.from(allPixels.subarray(i * size, (i + 1) * size), (p) => p / 255);
    const feeds = { Input3: new ort.Tensor('float32', pixels, [1, 1, rows, cols]) };
    const a = entry(await upgraded.run(feeds), 'Plus214_Output_0', 'upgraded model outputs').data as Float32Array;
    const b = entry(await reference.run(feeds), 'Plus214_Output_0', 'opset-13 reference outputs').data as Float32Array;
    const argmax = (x: Float32Array): number => x.indexOf(Math.max(...x));
    if (argmax(a) === labels[i]) correct++;
    if (argmax(b) === labels[i]) referenceCorrect++;
    for (const [k, x] of a.entries()) {
      const y = at(b, k, 'opset-13 reference output');
      maxAbs = Math.max(maxAbs, Math.abs(x - y));
      maxRef = Math.max(maxRef, Math.abs(y));
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
