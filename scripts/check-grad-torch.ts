// Must-show 1, second half (issue 15): the loss and every gradient of Lithe's training graph for the
// fashion_mnist_cnn architecture against PyTorch (Debian's python3-torch, float64) on the same 64
// Fashion-MNIST training samples. Usage: node bin/run-ts.js scripts/check-grad-torch.ts [models dir]
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import ort from 'onnxruntime-node';
import { inputLayout } from '../src/engine/data/input-layout';
import { openData } from '../src/engine/data/open-data';
import { encodeOnnx } from '../src/engine/formats/onnx';
import { loadModel } from '../src/engine/formats/model-io';
import { loadSamples } from '../src/engine/train/samples';
import { buildTrainingGraph } from '../src/engine/train/training-graph';

const besideRepo = [
  join(import.meta.dirname, '..', '..', 'shared', 'models'),
  join(import.meta.dirname, '..', '..', '..', 'shared', 'models'),
];
const models = resolve(process.argv[2] ?? besideRepo.find((dir) => existsSync(dir)) ?? besideRepo[0]!);
const modelPath = join(models, 'onnx', 'fashion_mnist_cnn.onnx');
const fashion = '/usr/share/datasets/fashion-mnist';
const images = join(fashion, 'train-images-idx3-ubyte.gz');
const labels = join(fashion, 'train-labels-idx1-ubyte.gz');
if (!existsSync(modelPath) || !existsSync(images)) {
  console.error(`check-grad-torch: needs ${modelPath} and ${images}`);
  process.exit(2);
}
const samples = 64;
const work = mkdtempSync(join(tmpdir(), 'lithe-grad-torch-'));
try {
  const out = join(work, 'torch.json');
  execFileSync(
    '/usr/bin/python3',
    [join(import.meta.dirname, 'train-reference.py'), 'grads', modelPath, images, labels, '--samples', String(samples), out],
    { stdio: 'inherit' },
  );
  const torch = JSON.parse(readFileSync(out, 'utf8')) as { loss: number; grads: Record<string, number[]> };

  const { model } = await loadModel(modelPath);
  const data = await loadSamples(await openData({ path: images, labels }, inputLayout(model)), { limit: samples });
  const graph = buildTrainingGraph(model, { loss: [{ kind: 'cross-entropy' }] });
  const session = await ort.InferenceSession.create(encodeOnnx(graph.model));
  const feeds: Record<string, ort.Tensor> = {
    [graph.data[0]!]: new ort.Tensor('float32', data.data, [samples, ...data.sampleDims]),
    [graph.feeds[0]!.name]: new ort.Tensor(
      'int64',
      BigInt64Array.from(data.labels!, (l) => BigInt(l)),
      [samples],
    ),
  };
  for (const p of graph.params) {
    const t = model.graph.initializers.find((i) => i.name === p.name)!;
    feeds[p.name] = new ort.Tensor('float32', Float32Array.from(t.toTypedArray() as Float32Array), p.dims);
  }
  const result = await session.run(feeds);
  const loss = Number(result[graph.loss]!.data[0]);
  console.log(`fashion_mnist_cnn, ${samples} training samples, cross-entropy: Lithe (float32, onnxruntime) vs PyTorch (float64)`);
  console.log(
    `  loss   Lithe ${loss.toFixed(7)}  PyTorch ${torch.loss.toFixed(7)}  relative difference ${(Math.abs(loss - torch.loss) / torch.loss).toExponential(2)}`,
  );
  let worst = 0;
  for (const p of graph.params) {
    const ours = result[p.grad]!.data as Float32Array;
    const theirs = torch.grads[p.name];
    if (!theirs || theirs.length !== ours.length) throw new Error(`PyTorch gave no gradient of the same size for ${p.name}`);
    let diff = 0;
    let scale = 0;
    theirs.forEach((g, i) => {
      diff = Math.max(diff, Math.abs(g - ours[i]!));
      scale = Math.max(scale, Math.abs(g));
    });
    worst = Math.max(worst, diff / scale);
    console.log(
      `  grad   ${p.name.padEnd(16)} [${p.dims.join('×')}]  max |Lithe − PyTorch| / max |PyTorch| = ${(diff / scale).toExponential(2)}`,
    );
  }
  await session.release();
  const ok = worst < 1e-4 && Math.abs(loss - torch.loss) / torch.loss < 1e-5;
  console.log(ok ? 'PASS  loss and gradients agree with PyTorch to float32 precision' : 'FAIL  loss or gradients differ from PyTorch');
  process.exitCode = ok ? 0 : 1;
} finally {
  rmSync(work, { recursive: true, force: true });
}
