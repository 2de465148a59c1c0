// The benchmark harness's overhead against a bare `session.run` loop on the same model, in the
// same process: `npm run bench:harness [model.onnx] [-- --runs N --rounds R]`.
// Rounds alternate bare and harness loops so drifts of the machine hit both alike.
import { existsSync } from 'node:fs';
import { measureLoop } from '../src/engine/bench/measure-loop';
import { median, percentile } from '../src/engine/bench/stats';
import {
  createOnnxSession,
  declaredInputs,
  DEFAULT_ORT_CONFIG,
  makeFeeds,
  planInputs,
  runError,
  seededRandom,
} from '../src/engine/runtime/onnx';
import { PPOCR_CLS_ONNX } from '../test/fixtures/real-models';
import { at } from '../test/helpers/at';

const args = process.argv.slice(2);
const flag = (name: string, fallback: number): number => {
  const index = args.indexOf(name);
  return index >= 0 ? Number(args[index + 1]) : fallback;
};
const model = args.find((arg, i) => !arg.startsWith('--') && !args[i - 1]?.startsWith('--')) ?? PPOCR_CLS_ONNX;
if (!existsSync(model)) {
  console.error(`bench-harness: ${model} does not exist`);
  process.exit(2);
}
const dims: Record<string, number> = model === PPOCR_CLS_ONNX ? { 'p2o.DynamicDimension.1': 48, 'p2o.DynamicDimension.2': 192 } : {};
const { session } = await createOnnxSession(model, DEFAULT_ORT_CONFIG);
const feeds = makeFeeds(planInputs(declaredInputs(session), dims, model), 1, model);

// Short blocks (about 5 ms) and many rounds, so load from other processes hits both loops alike;
// about 20 s in all unless given.
const started = performance.now();
for (let i = 0; i < 20; i++) await session.run(feeds);
const perRunMs = (performance.now() - started) / 20;
const runs = flag('--runs', Math.max(5, Math.round(5 / perRunMs)));
const rounds = flag('--rounds', Math.max(501, Math.min(4001, Math.round(20_000 / (2 * runs * perRunMs)))));

async function bare(): Promise<number> {
  const t0 = performance.now();
  for (let i = 0; i < runs; i++) await session.run(feeds);
  return performance.now() - t0;
}

async function harness(): Promise<number> {
  // The same step and loop as a benchmark configuration (run-config.ts), progress callback included.
  let ticks = 0;
  try {
    const result = await measureLoop(
      () => session.run(feeds),
      { runs },
      () => void ticks++,
    );
    return result.totalMs;
  } catch (error) {
    throw runError(model, error);
  }
}

const ratios: number[] = [];
const bareTimes: number[] = [];
const harnessTimes: number[] = [];
for (let round = 0; round < rounds; round++) {
  const order = round % 2 === 0 ? [bare, harness] : [harness, bare];
  const times = new Map<typeof bare, number>();
  for (const loop of order) times.set(loop, await loop());
  const b = times.get(bare) ?? 0;
  const h = times.get(harness) ?? 0;
  bareTimes.push(b);
  harnessTimes.push(h);
  ratios.push(h / b);
}
await session.release();

// 95 % bootstrap interval of the median per-round ratio.
const random = seededRandom(7);
const medians = Float64Array.from({ length: 2000 }, () =>
  median(Array.from(ratios, () => at(ratios, Math.floor(random() * ratios.length), 'per-round ratios'))),
).sort();
const interval = { low: percentile(medians, 0.025), high: percentile(medians, 0.975) };
const overhead = (median(ratios) - 1) * 100;
const perRunUs = ((median(harnessTimes) - median(bareTimes)) / runs) * 1000;
console.log(`model          ${model}`);
console.log(`runs × rounds  ${runs} runs per block × ${rounds} rounds (bare and harness blocks alternate)`);
console.log(`bare loop      median ${(median(bareTimes) / runs).toFixed(4)} ms per run`);
console.log(`harness loop   median ${(median(harnessTimes) / runs).toFixed(4)} ms per run`);
const ci = `95 % CI ${((interval.low - 1) * 100).toFixed(2)} … ${((interval.high - 1) * 100).toFixed(2)} %`;
console.log(`overhead       ${overhead.toFixed(2)} % (median of per-round ratios; ${perRunUs.toFixed(2)} µs per run; ${ci})`);
console.log(`goal ≤ 2 %     ${overhead <= 2 ? 'met' : 'NOT met'}`);
