// Runs `search.run` (through the engine service, as `lithe search` does) on the issue's sample
// models and prints, per model: the pick, its A/B ratio against the original with the interval,
// output cosine, size, wall time of the search and how many candidates were measured or pruned.
//   npm run bench:search -- <models dir> [--goal fastest|smallest|balanced|accurate] [--threads N]
//                           [--budget-min N] [--pairs N] [--device ID] [--only name,name] [--keep DIR]
// (e.g. ../shared/models). Timing on a shared machine is noisy: the ratios are A/B, interleaved.
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { modelArgs } from './support/model-args';
import { SearchGoal, type SearchReport } from '../src/contract';
import { createEngineService } from '../src/engine/service';

const MODELS = [
  'extra/onnx/super_resolution.onnx',
  'tflite/hand_landmark_lite.tflite',
  'onnx/ppocr_mobile_v2_cls.onnx',
  'onnx/fashion_mnist_cnn.onnx',
  'tflite/face_detection_short_range.tflite',
];

const { flag, models } = modelArgs(
  MODELS,
  'npm run bench:search -- <models dir> [--goal G] [--threads N] [--budget-min N] [--pairs N] [--device ID]',
);
const goal = SearchGoal.parse(flag('--goal') ?? 'fastest');
const keep = flag('--keep');
const work = keep ? resolve(keep) : mkdtempSync(join(tmpdir(), 'lithe-bench-search-'));
const service = createEngineService({ host: 'cli', runsFolder: join(work, 'runs') });

function line(report: SearchReport): string {
  const chosen = report.candidates.find((c) => c.id === report.chosen.id);
  const speed = chosen?.speed;
  const ab = speed ? `${speed.ratio.toFixed(3)}× [${speed.low.toFixed(3)}–${speed.high.toFixed(3)}] ${speed.verdict}` : '—';
  const speedup = speed ? `${(1 / speed.ratio).toFixed(2)}× faster` : '';
  const size = chosen && report.candidates[0] ? `${((100 * chosen.sizeBytes) / report.candidates[0].sizeBytes).toFixed(0)} %` : '';
  return [
    basename(report.model).padEnd(36),
    (report.chosen.isOriginal ? `original (${report.chosen.label})` : report.chosen.id).padEnd(40),
    ab.padEnd(44),
    speedup.padEnd(14),
    (chosen?.fidelity ? chosen.fidelity.cosine.toFixed(6) : '').padEnd(9),
    size.padEnd(6),
    `${report.wallSeconds.toFixed(0)} s`.padEnd(7),
    `${report.counts.built} built, ${report.counts.measured} measured, ${report.counts.pruned} pruned, ${report.counts.rejected} rejected`,
  ].join(' ');
}

try {
  console.log(`goal ${goal}, ${flag('--threads') ?? 1} thread(s), device ${flag('--device') ?? '(none)'}; results in ${work}`);
  console.log(
    [
      'model'.padEnd(36),
      'chosen'.padEnd(40),
      'A/B chosen vs original [95 % CI]'.padEnd(44),
      'speed-up'.padEnd(14),
      'cosine'.padEnd(9),
      'size'.padEnd(6),
      'wall'.padEnd(7),
      'candidates',
    ].join(' '),
  );
  for (const model of models) {
    const report = await service.invoke('search.run', {
      model,
      outDir: join(work, `${basename(model).replace(/\.\w+$/, '')}-${goal}${flag('--device') ? `-${flag('--device')}` : ''}`),
      goal,
      ...(flag('--threads') ? { threads: Number(flag('--threads')) } : {}),
      ...(flag('--budget-min') ? { budgetMinutes: Number(flag('--budget-min')) } : {}),
      ...(flag('--pairs') ? { pairs: Number(flag('--pairs')) } : {}),
      ...(flag('--device') ? { deviceId: flag('--device') } : {}),
    });
    console.log(line(report));
    for (const c of report.candidates.filter((x) => x.status !== 'baseline'))
      console.log(`    ${c.id.padEnd(24)} ${c.status.padEnd(10)} ${c.note}`);
  }
  console.log(
    `machine ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, load average ${loadavg()[0]?.toFixed(2)} (other work on the machine adds noise; ratios are A/B)`,
  );
} finally {
  await service.close();
  if (!keep) rmSync(work, { recursive: true, force: true });
}
