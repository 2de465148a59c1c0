// Training speed and memory of issue 15 (must-shows 2 and 5): fashion_mnist_cnn trained from fresh
// weights with `lithe train` and with PyTorch CPU (Debian's python3-torch, scripts/train-reference.py)
// on the same machine, same batch size, epochs and threads; seconds per epoch, samples/s, test
// accuracy and peak RSS of each process; and the optimizer step in TypeScript against the same
// step as an onnxruntime graph.
// Usage: npm run bench:train -- [models dir] [--epochs 3] [--threads 1,2] [--batch 64] [--limit N] [--seeds 1,2,3] [--no-torch]
//        [--previous-recipe]
// Lithe trains with its default recipe (or, with --previous-recipe, the one before it: Adam 1e-3 constant,
// no warm-up); PyTorch then trains with the learning rate, schedule, warm-up and label smoothing that the
// Lithe run's report records, so both follow the same recipe.
// (--limit trains both on the first N training images only: a quicker measurement. --seeds repeats every
// run with each seed and prints each tool's mean test accuracy ± its standard deviation, and the gap
// between the two tools with its standard error: whether a gap is seed noise or a real difference.)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import ort from 'onnxruntime-node';
import { OptimizerOptions, type TrainReport } from '../src/contract/train';
import { encodeOnnx } from '../src/engine/formats/onnx';
import { loadModel } from '../src/engine/formats/model-io';
import { Graph } from '../src/engine/ir/graph';
import { Model } from '../src/engine/ir/model';
import { Node } from '../src/engine/ir/node';
import { Tensor } from '../src/engine/ir/tensor';
import { Value } from '../src/engine/ir/value';
import { Optimizer } from '../src/engine/train/optimizer';
import { defaultTrainable } from '../src/engine/train/trainable';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    limit: { type: 'string' },
    epochs: { type: 'string', default: '3' },
    threads: { type: 'string', default: '1,2' },
    batch: { type: 'string', default: '64' },
    seeds: { type: 'string', default: '1' },
    'no-torch': { type: 'boolean' },
    'previous-recipe': { type: 'boolean' },
  },
});
const besideRepo = [
  join(import.meta.dirname, '..', '..', 'shared', 'models'),
  join(import.meta.dirname, '..', '..', '..', 'shared', 'models'),
];
const models = resolve(positionals[0] ?? besideRepo.find((dir) => existsSync(dir)) ?? besideRepo[0]!);
const model = join(models, 'onnx', 'fashion_mnist_cnn.onnx');
const fashion = '/usr/share/datasets/fashion-mnist';
const files = ['train-images-idx3-ubyte.gz', 'train-labels-idx1-ubyte.gz', 't10k-images-idx3-ubyte.gz', 't10k-labels-idx1-ubyte.gz'].map(
  (f) => join(fashion, f),
);
if (!existsSync(model) || !files.every(existsSync)) {
  console.error(`bench-train: needs ${model} and Fashion-MNIST in ${fashion}`);
  process.exit(2);
}
const [trainImages, trainLabels, testImages, testLabels] = files as [string, string, string, string];
const epochs = Number(values.epochs);
const batch = Number(values.batch);
const threads = values.threads.split(',').map(Number);
const seeds = values.seeds.split(',').map(Number);
const limit = values.limit ? ['--limit', values.limit] : [];
const previousRecipe = values['previous-recipe']
  ? ['--lr', '0.001', '--schedule', 'constant', '--warmup-steps', '0', '--label-smoothing', '0']
  : [];
const work = mkdtempSync(join(tmpdir(), 'lithe-bench-train-'));
const load = (): string => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');

// Runs a command under /usr/bin/time and returns its stdout and peak RSS (bytes).
function timed(command: string, args: string[]): { stdout: string; peakRss: number } {
  const r = spawnSync('/usr/bin/time', ['-f', 'PEAK_RSS_KB %M', command, ...args], { encoding: 'utf8', maxBuffer: 1 << 28 });
  if (r.status !== 0) throw new Error(`${command} failed: ${r.stderr.slice(-2000)}`);
  const kb = Number(/PEAK_RSS_KB (\d+)/.exec(r.stderr)?.[1] ?? NaN);
  return { stdout: r.stdout, peakRss: kb * 1024 };
}

interface Row {
  tool: string;
  threads: number;
  seed: number;
  secondsPerEpoch: number[];
  cpuSecondsPerEpoch: number[];
  samplesPerSecond: number;
  accuracy: number;
  peakRss: number;
}
const rows: Row[] = [];
const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
const hasTorch = !values['no-torch'] && spawnSync('/usr/bin/python3', ['-c', 'import torch, onnx'], { encoding: 'utf8' }).status === 0;
try {
  console.log(
    `fashion_mnist_cnn from fresh weights, ${epochs} epochs${values.limit ? ` on the first ${values.limit} training images` : ''}, batch ${batch}, ` +
      `${values['previous-recipe'] ? 'the previous recipe (Adam lr 0.001 constant)' : 'Lithe’s default recipe'}; load average before: ${load()}`,
  );
  for (const t of threads) for (const seed of seeds) trainBoth(t, seed);
  console.log(`\n${'tool'.padEnd(22)} threads  seed  s/epoch (mean)  CPU s/epoch  samples/s  test top-1  peak RSS`);
  for (const r of rows)
    console.log(
      `${r.tool.padEnd(22)} ${String(r.threads).padStart(7)}  ${String(r.seed).padStart(4)}  ${mean(r.secondsPerEpoch).toFixed(1).padStart(14)}  ` +
        `${mean(r.cpuSecondsPerEpoch).toFixed(1).padStart(11)}  ${r.samplesPerSecond.toFixed(0).padStart(9)}  ` +
        `${(r.accuracy * 100).toFixed(2).padStart(8)} %  ${(r.peakRss / 1024 ** 2).toFixed(0).padStart(5)} MB`,
    );
  for (const t of threads) {
    const lithe = rows.filter((r) => r.threads === t && r.tool.startsWith('Lithe'));
    const torch = rows.filter((r) => r.threads === t && r.tool.startsWith('PyTorch'));
    const perEpoch = (list: Row[], key: 'secondsPerEpoch' | 'cpuSecondsPerEpoch'): number => mean(list.flatMap((r) => r[key]));
    if (lithe.length && torch.length)
      console.log(
        `${t} thread(s): PyTorch takes ${(perEpoch(torch, 'secondsPerEpoch') / perEpoch(lithe, 'secondsPerEpoch')).toFixed(2)}× Lithe's wall time per epoch, ` +
          `${(perEpoch(torch, 'cpuSecondsPerEpoch') / perEpoch(lithe, 'cpuSecondsPerEpoch')).toFixed(2)}× its CPU time`,
      );
    if (seeds.length > 1) {
      const a = spread(lithe.map((r) => r.accuracy));
      console.log(`${t} thread(s), ${seeds.length} seeds: Lithe test top-1 ${pct(a.mean)} ± ${pct(a.sd)} (mean ± s.d.)`);
      if (torch.length) {
        const b = spread(torch.map((r) => r.accuracy));
        const se = Math.sqrt(a.sd ** 2 / lithe.length + b.sd ** 2 / torch.length);
        console.log(
          `${t} thread(s), ${seeds.length} seeds: PyTorch test top-1 ${pct(b.mean)} ± ${pct(b.sd)}; gap PyTorch − Lithe ${pct(b.mean - a.mean)}, ` +
            `standard error ${pct(se)}: ${Math.abs(b.mean - a.mean) > 2 * se ? 'more than 2 s.e., a real difference' : 'within 2 s.e., seed noise'}`,
        );
      }
    }
  }
  if (!hasTorch) console.log('PyTorch not measured (no python3-torch and python3-onnx, or --no-torch).');
  await optimizerStep();
  console.log(`load average after: ${load()} (2 shared cores: re-measure on a quiet machine for final figures)`);
} finally {
  rmSync(work, { recursive: true, force: true });
}

// Trains fashion_mnist_cnn from fresh weights with Lithe, then PyTorch, at `t` threads with `seed`; adds their rows.
function trainBoth(t: number, seed: number): void {
  const out = join(work, `lithe-${t}-${seed}`);
  const loop = ['--epochs', String(epochs), '--batch', String(batch), '--threads', String(t), '--seed', String(seed), ...limit];
  const args = [
    join(import.meta.dirname, '..', 'bin', 'lithe.js'),
    'train',
    model,
    '--init',
    'random',
    '--data',
    trainImages,
    '--labels',
    trainLabels,
  ];
  args.push('--val-data', testImages, '--val-labels', testLabels, '-o', out, '--json', ...loop, ...previousRecipe);
  const run = timed(process.execPath, args);
  const report = JSON.parse(run.stdout) as TrainReport;
  rows.push({
    tool: 'Lithe (onnxruntime)',
    threads: t,
    seed,
    secondsPerEpoch: report.history.map((e) => e.seconds),
    cpuSecondsPerEpoch: report.history.map((e) => e.cpuSeconds ?? NaN),
    samplesPerSecond: mean(report.history.map((e) => e.samplesPerSecond)),
    accuracy: report.verification.accuracy ?? NaN,
    peakRss: run.peakRss,
  });
  console.log(
    `  Lithe   ${t} thread(s), seed ${seed}: ${report.history.map((e) => `${e.seconds.toFixed(1)} s`).join(', ')}; ` +
      `test top-1 ${((report.verification.accuracy ?? NaN) * 100).toFixed(2)} % (written model, 10 000 test images)`,
  );
  if (!hasTorch) return;
  const recipe = report.settings as { lr: number; schedule: string; warmupSteps: number; labelSmoothing: number };
  const sameRecipe = ['--lr', recipe.lr, '--schedule', recipe.schedule, '--warmup-steps', recipe.warmupSteps];
  sameRecipe.push('--label-smoothing', recipe.labelSmoothing);
  console.log(`  recipe  ${sameRecipe.join(' ')}`);
  const torchRun = timed('/usr/bin/python3', [
    join(import.meta.dirname, 'train-reference.py'),
    'train',
    model,
    trainImages,
    trainLabels,
    testImages,
    testLabels,
    ...loop,
    ...sameRecipe.map(String),
  ]);
  const lines = torchRun.stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { seconds: number; cpuSeconds: number; samplesPerSecond: number; testAccuracy: number });
  rows.push({
    tool: 'PyTorch CPU',
    threads: t,
    seed,
    secondsPerEpoch: lines.map((l) => l.seconds),
    cpuSecondsPerEpoch: lines.map((l) => l.cpuSeconds),
    samplesPerSecond: mean(lines.map((l) => l.samplesPerSecond)),
    accuracy: lines[lines.length - 1]!.testAccuracy,
    peakRss: torchRun.peakRss,
  });
  console.log(
    `  PyTorch ${t} thread(s), seed ${seed}: ${lines.map((l) => `${l.seconds.toFixed(1)} s`).join(', ')}; test top-1 ${(lines[lines.length - 1]!.testAccuracy * 100).toFixed(2)} %`,
  );
}

function spread(xs: number[]): { mean: number; sd: number } {
  const m = mean(xs);
  return { mean: m, sd: xs.length > 1 ? Math.sqrt(xs.reduce((s, x) => s + (x - m) ** 2, 0) / (xs.length - 1)) : 0 };
}

function pct(x: number): string {
  return `${(x * 100).toFixed(2)} %`;
}

// AdamW over the model's parameters: in TypeScript in place, or as an onnxruntime graph (w, g, m, v in; w′, m′, v′ out).
async function optimizerStep(): Promise<void> {
  const { model: m } = await loadModel(model);
  const names = defaultTrainable(m.graph);
  const params = m.graph.initializers
    .filter((t) => names.has(t.name))
    .map((t) => ({
      name: t.name,
      dims: t.dims,
      value: Float32Array.from(t.toTypedArray() as Float32Array),
      grad: Float32Array.from({ length: t.elementCount }, () => Math.random() - 0.5),
    }));
  const optimizer = new Optimizer(OptimizerOptions.parse({}));
  const steps = 200;
  let started = performance.now();
  for (let s = 0; s < steps; s++) optimizer.step(params, 1e-3);
  const tsMs = (performance.now() - started) / steps;
  const session = await ort.InferenceSession.create(encodeOnnx(adamGraph(params)), { intraOpNumThreads: 1 });
  const state = params.map((p) => ({ m: new Float32Array(p.value.length), v: new Float32Array(p.value.length) }));
  started = performance.now();
  for (let s = 1; s <= steps; s++) {
    const feeds: Record<string, ort.Tensor> = {
      lr: new ort.Tensor('float32', Float32Array.of(1e-3), []),
      c1: new ort.Tensor('float32', Float32Array.of(1 - 0.9 ** s), []),
      c2: new ort.Tensor('float32', Float32Array.of(1 - 0.999 ** s), []),
    };
    params.forEach((p, i) => {
      feeds[`w${i}`] = new ort.Tensor('float32', p.value, p.dims);
      feeds[`g${i}`] = new ort.Tensor('float32', p.grad, p.dims);
      feeds[`m${i}`] = new ort.Tensor('float32', state[i]!.m, p.dims);
      feeds[`v${i}`] = new ort.Tensor('float32', state[i]!.v, p.dims);
    });
    const out = await session.run(feeds);
    params.forEach((p, i) => {
      p.value.set(out[`w${i}_next`]!.data as Float32Array);
      state[i]!.m.set(out[`m${i}_next`]!.data as Float32Array);
      state[i]!.v.set(out[`v${i}_next`]!.data as Float32Array);
    });
  }
  const graphMs = (performance.now() - started) / steps;
  await session.release();
  const count = params.reduce((n, p) => n + p.value.length, 0);
  console.log(
    `\nAdamW step over ${count} parameters: TypeScript in place ${tsMs.toFixed(2)} ms, onnxruntime graph (1 thread, with copies back) ${graphMs.toFixed(2)} ms`,
  );
  console.log(tsMs <= graphMs ? 'The TypeScript optimizer is faster: Lithe uses it.' : 'The graph optimizer is faster here.');
}

function adamGraph(params: { dims: number[] }[]): Model {
  const g = new Graph('adamw');
  const model = new Model('onnx', g);
  model.irVersion = 8;
  model.opsets = [{ domain: '', version: 17 }];
  const input = (name: string, shape: number[]): Value => {
    const v = g.define(new Value(name, { kind: 'tensor', dtype: 'float32', shape }));
    g.inputs.push(v);
    return v;
  };
  const constant = (x: number): Value => {
    const name = `k${g.initializers.length}`;
    return g.addInitializer(new Tensor(name, 'float32', [], new Uint8Array(Float32Array.of(x).buffer)));
  };
  let n = 0;
  const op = (type: string, inputs: Value[], name = `t${n++}`): Value => {
    const out = g.define(new Value(name));
    g.addNode(new Node(type, inputs, [out], { name: `${type}_${n}` }));
    return out;
  };
  const [lr, c1, c2] = [input('lr', []), input('c1', []), input('c2', [])];
  const [b1, nb1, b2, nb2, eps] = [constant(0.9), constant(0.1), constant(0.999), constant(0.001), constant(1e-8)];
  params.forEach((p, i) => {
    const [w, grad, m, v] = ['w', 'g', 'm', 'v'].map((k) => input(`${k}${i}`, p.dims)) as [Value, Value, Value, Value];
    const m2 = op('Add', [op('Mul', [m, b1]), op('Mul', [grad, nb1])], `m${i}_next`);
    const v2 = op('Add', [op('Mul', [v, b2]), op('Mul', [op('Mul', [grad, grad]), nb2])], `v${i}_next`);
    const update = op('Div', [op('Div', [m2, c1]), op('Add', [op('Sqrt', [op('Div', [v2, c2])]), eps])]);
    const w2 = op('Sub', [w, op('Mul', [update, lr])], `w${i}_next`);
    g.outputs.push(w2, m2, v2);
  });
  return model;
}
