// The TFLite runtime at 1 thread against N threads, per model: an interleaved A/B of the same file
// (`lithe bench <m> --compare --threads 1,N`), printing both medians, the median ratio N/1 with its
// bootstrap interval, the verdict, and the load average before and after (the machine is shared).
//   npm run bench:tflite-threads -- <models dir> [--threads N] [--pairs N] [--only name,name]
// (e.g. ../shared/models). Ratio < 1: N threads are faster.
import { loadavg } from 'node:os';
import { basename } from 'node:path';
import { BenchCompareArgs } from '../src/contract/bench';
import { runCompare } from '../src/engine/bench/run-compare';
import { modelArgs } from './support/model-args';

const MODELS = [
  'tflite/hand_landmark_lite.tflite',
  'tflite/face_detection_short_range.tflite',
  'extra/tflite/mobilenet_v2_quantized_1x3x224x224.tflite',
];

const { flag, models } = modelArgs(MODELS, 'npm run bench:tflite-threads -- <models dir> [--threads N] [--pairs N] [--only name,name]');
const threads = Number(flag('--threads') ?? 2);
const pairs = Number(flag('--pairs') ?? 200);
const load = (): string =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

console.log(`TFLite runtime, 1 thread (A) vs ${threads} threads (B), ${pairs} interleaved pairs per model`);
console.log(
  ['model'.padEnd(44), 'A p50 ms', 'B p50 ms', 'B/A [95 % CI]'.padEnd(26), 'verdict'.padEnd(26), 'load before → after'].join(' '),
);
for (const model of models) {
  const before = load();
  const result = await runCompare(
    BenchCompareArgs.parse({ a: { model, config: { threads: 1 } }, b: { model, config: { threads } }, pairs, warmupRuns: 20 }),
  );
  const { ratio } = result;
  console.log(
    [
      basename(model).padEnd(44),
      result.a.latencyMs.p50.toFixed(3).padStart(8),
      result.b.latencyMs.p50.toFixed(3).padStart(8),
      `${ratio.median.toFixed(3)} [${ratio.low.toFixed(3)}–${ratio.high.toFixed(3)}]`.padEnd(26),
      result.verdict.padEnd(26),
      `${before} → ${load()}`,
    ].join(' '),
  );
}
