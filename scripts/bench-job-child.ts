// What running a job in a child process of its own (memory bound by an RSS watchdog) costs against a
// worker thread (V8 heap limit only): the same task, runs interleaved A/B, medians in ms.
//   npm run bench:job-child -- [model.onnx|.tflite] [--runs 7]
// Two tasks: `identify` of a small file (start-up alone) and `optimize --recipe graph` of the model
// (default: the PaddleOCR direction classifier that ships in devDependencies).
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { JobRunner } from '../src/engine/jobs/job-runner';
import { engineTask } from '../src/engine/jobs/task-ref';
import { PPOCR_CLS_ONNX } from '../test/fixtures/real-models';

const args = process.argv.slice(2);
const runsAt = args.indexOf('--runs');
const runs = runsAt >= 0 ? Number(args[runsAt + 1]) : 7;
const model = resolve(args.find((a, i) => !a.startsWith('--') && args[i - 1] !== '--runs') ?? PPOCR_CLS_ONNX);
const work = mkdtempSync(join(tmpdir(), 'lithe-bench-job-child-'));
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

const inChild = new JobRunner({ concurrency: 1, childTasks: new Set(['identify', 'optimize']) });
const inWorker = new JobRunner({ concurrency: 1 });

async function timed(run: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  await run();
  return performance.now() - t;
}

async function compare(name: string, job: (runner: JobRunner, i: number) => Promise<unknown>): Promise<void> {
  const times = { child: [] as number[], worker: [] as number[] };
  await job(inChild, -1); // warm the file cache and tsx's cache; not counted
  for (let i = 0; i < runs; i++) {
    // Alternate which goes first, so a drift in machine load falls on both.
    const order = i % 2 === 0 ? (['child', 'worker'] as const) : (['worker', 'child'] as const);
    for (const where of order) times[where].push(await timed(() => job(where === 'child' ? inChild : inWorker, i)));
  }
  const [c, w] = [median(times.child), median(times.worker)];
  console.log(
    `${name.padEnd(34)} child ${c.toFixed(0).padStart(6)} ms   worker ${w.toFixed(0).padStart(6)} ms   ` +
      `child − worker ${(c - w).toFixed(0).padStart(6)} ms   ratio ${(c / w).toFixed(2)}`,
  );
}

try {
  console.log(`${runs} runs each, interleaved; ${cpus().length} cores, load average ${loadavg()[0]?.toFixed(1)}; model ${model}`);
  await compare('identify (start-up only)', (runner) => runner.run(engineTask('identify'), { path: model }));
  await compare('optimize --recipe graph', (runner, i) =>
    runner.run(engineTask('optimize'), { model, outDir: join(work, `${i}-${Math.random().toString(36).slice(2)}`), recipe: 'graph' }),
  );
  console.log(`load average at the end ${loadavg()[0]?.toFixed(1)}`);
} finally {
  await inChild.close();
  await inWorker.close();
  rmSync(work, { recursive: true, force: true });
}
