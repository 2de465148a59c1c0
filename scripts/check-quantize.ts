// Measures the quantization "Must show" list of issue 7 on the shared real models and prints the numbers.
// Usage: node bin/run-ts.js scripts/check-quantize.ts [models dir] (default ../shared/models)
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { BenchCompareArgs } from '../src/contract';
import { runCompare } from '../src/engine/bench';
import { evaluateModel } from '../src/engine/evaluate';
import { optimizeModel, type OptimizeRequest } from '../src/engine/optimize/optimize-model';

const models = resolve(process.argv[2] ?? join(import.meta.dirname, '..', '..', 'shared', 'models'));
if (!existsSync(join(models, 'onnx'))) {
  console.error(`check-quantize: no models folder at ${models} (give its path as the first argument)`);
  process.exit(2);
}
const fashion = '/usr/share/datasets/fashion-mnist';
const mnistImages = join(models, 'data', 'mnist-npm10k-images-idx3-ubyte.gz');
const work = await mkdtemp(join(tmpdir(), 'lithe-check-quantize-'));
const pct = (x: number | undefined): string => (x === undefined ? 'n/a' : `${(x * 100).toFixed(2)} %`);
let failures = 0;
const check = (ok: boolean, line: string): void => {
  if (!ok) failures++;
  console.log(`  ${ok ? 'PASS' : 'FAIL'}  ${line}`);
};
let runs = 0;
const optimize = (request: Omit<OptimizeRequest, 'outDir'>) => optimizeModel({ ...request, outDir: join(work, `run-${++runs}`) });

try {
  // 1. Fashion-MNIST CNN → static int8 (calibrated on training images, measured on the 10k test set).
  console.log('1. fashion_mnist_cnn.onnx → int8-static');
  if (existsSync(join(fashion, 't10k-images-idx3-ubyte.gz'))) {
    const original = join(models, 'onnx', 'fashion_mnist_cnn.onnx');
    const report = await optimize({
      model: original,
      recipe: 'int8-static',
      data: join(fashion, 'train-images-idx3-ubyte.gz'),
      evalLimit: 1000,
    });
    const quantized = report.output.path;
    const test = await evaluateModel({ model: quantized, data: join(fashion, 't10k-images-idx3-ubyte.gz'), reference: original });
    const ratio = report.output.sizeBytes / report.input.sizeBytes;
    check(
      (test.accuracy?.top1 ?? 0) >= 0.896,
      `accuracy ${pct(test.reference?.accuracy?.top1)} → ${pct(test.accuracy?.top1)} on ${test.data.samples} test images (≥ 89.6 %)`,
    );
    check(ratio <= 0.27, `size ${report.input.sizeBytes} → ${report.output.sizeBytes} bytes = ${ratio.toFixed(3)}× (≤ 0.27×)`);
    console.log(
      `        fidelity: agreement ${pct(test.fidelity?.top1Agreement)}, cosine ${test.fidelity?.cosine.toFixed(5)}, SQNR ${test.fidelity?.sqnrDb.toFixed(1)} dB`,
    );
    for (const layer of test.layers ?? []) console.log(`        layer ${layer.node}: ${layer.sqnrDb.toFixed(1)} dB`);
    try {
      const ab = await runCompare(
        BenchCompareArgs.parse({ a: { model: original }, b: { model: quantized }, pairs: 300, bIsOptimized: true }),
      );
      console.log(
        `        latency A/B (1 thread, opt level all): fp32 median ${ab.a.latencyMs.p50.toFixed(3)} ms, int8 ${ab.b.latencyMs.p50.toFixed(3)} ms — ${ab.summary}`,
      );
      if (ab.warning) console.log(`        ${ab.warning.message} ${ab.warning.likelyCauses.join(' ')}`);
    } catch (error) {
      console.log(`        latency A/B unavailable: ${error instanceof Error ? error.message : String(error)}`);
    }
  } else {
    console.log(`  SKIP  ${fashion} is missing (Debian package dataset-fashion-mnist)`);
  }

  // 3. MNIST CNTK → dynamic and static int8.
  console.log('3. mnist-cntk-opset13.onnx → int8-dynamic, int8-static');
  for (const recipe of ['int8-dynamic', 'int8-static']) {
    const report = await optimize({ model: join(models, 'onnx', 'mnist-cntk-opset13.onnx'), recipe, data: mnistImages });
    const e = report.evaluation;
    check(
      (e?.accuracyAfter?.top1 ?? 0) >= 0.993,
      `${recipe}: accuracy ${pct(e?.accuracyBefore?.top1)} → ${pct(e?.accuracyAfter?.top1)} (≥ 99.3 %), size ${report.input.sizeBytes} → ${report.output.sizeBytes} bytes`,
    );
  }

  // 4. fp16 of every ONNX model.
  console.log('4. fp16 of each ONNX model');
  for (const name of (await readdir(join(models, 'onnx'))).filter((n) => n.endsWith('.onnx')).sort()) {
    try {
      const data = name.startsWith('mnist')
        ? mnistImages
        : name.startsWith('fashion')
          ? join(fashion, 't10k-images-idx3-ubyte.gz')
          : undefined;
      const report = await optimize({ model: join(models, 'onnx', name), recipe: 'fp16', ...(data ? { data, evalLimit: 2000 } : {}) });
      const ratio = report.output.sizeBytes / report.input.sizeBytes;
      let cosine = Math.min(report.verification.cosine ?? 0, report.evaluation?.fidelity?.cosineMin ?? 1);
      if (report.verification.status === 'unavailable' && name === 'mnist-cntk-opset1.onnx') {
        // onnxruntime cannot load the opset-1 original; its opset-13 twin holds the same weights.
        const twin = await evaluateModel({
          model: report.output.path,
          data: mnistImages,
          reference: join(models, 'onnx', 'mnist-cntk-opset13.onnx'),
          limit: 2000,
          perLayer: false,
        });
        cosine = twin.fidelity?.cosineMin ?? 0;
        console.log(
          `        (original not loadable; compared with mnist-cntk-opset13.onnx on 2000 digits: accuracy ${pct(twin.accuracy?.top1)})`,
        );
      }
      const measuredOn = report.evaluation ? 'worst sample on data and random inputs' : 'random inputs';
      const notes = report.steps.at(-1)?.notes ?? [];
      check(
        ratio <= 0.56 && cosine >= 0.999,
        `${name}: ${ratio.toFixed(3)}× size, cosine ${cosine.toFixed(6)} (${measuredOn})${notes.length ? ` — ${notes.join(' ')}` : ''}`,
      );
    } catch (error) {
      check(false, `${name}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  // 5. Mixed precision where full int8 misses the target.
  console.log('5. mixed precision: fashion_mnist_cnn, target top-1 agreement with float ≥ 99.9 % on 1000 training images');
  if (existsSync(join(fashion, 'train-images-idx3-ubyte.gz'))) {
    const recipe = {
      name: 'mixed-agreement',
      steps: [
        { pass: 'upgrade-opset', options: { target: 13 } },
        { pass: 'quantize-mixed', options: { metric: 'top1Agreement', target: 0.999, evalSamples: 1000 } },
      ],
    };
    const { checkRecipe } = await import('../src/engine/recipes/resolve-recipe');
    const full = await optimize({
      model: join(models, 'onnx', 'fashion_mnist_cnn.onnx'),
      recipe: 'int8-static',
      data: join(fashion, 'train-images-idx3-ubyte.gz'),
      evalLimit: 1000,
    });
    const mixed = await optimize({
      model: join(models, 'onnx', 'fashion_mnist_cnn.onnx'),
      recipe: checkRecipe(recipe),
      data: join(fashion, 'train-images-idx3-ubyte.gz'),
      evalLimit: 1000,
    });
    const step = mixed.steps.at(-1);
    const fullAgreement = full.evaluation?.fidelity?.top1Agreement ?? 0;
    console.log(
      `        full int8: agreement ${pct(fullAgreement)} (${fullAgreement >= 0.999 ? 'meets' : 'misses'} 99.9 %), ${full.output.sizeBytes} bytes`,
    );
    check(
      (mixed.evaluation?.fidelity?.top1Agreement ?? 0) >= 0.999,
      `mixed: agreement ${pct(mixed.evaluation?.fidelity?.top1Agreement)}, ${mixed.output.sizeBytes} bytes, ${step?.stats['layersInFloat']} layer(s) in float — ${step?.notes.join(' ')}`,
    );
  }

  // 2. MNIST LSTM → int8 TFLite.
  console.log('2. mnist_lstm_float.tflite → int8 TFLite');
  for (const recipe of ['int8-static', 'int8-dynamic']) {
    try {
      const report = await optimize({
        model: join(models, 'tflite', 'mnist_lstm_float.tflite'),
        recipe,
        data: mnistImages,
        format: 'tflite',
      });
      const e = report.evaluation;
      check(
        (e?.accuracyAfter?.top1 ?? 0) >= 0.9402 && report.output.sizeBytes <= 13952,
        `${recipe}: accuracy ${pct(e?.accuracyBefore?.top1)} → ${pct(e?.accuracyAfter?.top1)} (≥ 94.02 %), ${report.output.sizeBytes} bytes (≤ 13,952) — ${report.steps.at(-1)?.notes.join(' ')}`,
      );
    } catch (error) {
      check(false, `${recipe}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
} finally {
  await rm(work, { recursive: true, force: true });
}
console.log(failures ? `${failures} check(s) failed` : 'all checks passed');
process.exitCode = failures ? 1 : 0;
