import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mergeSummaries } from '../../../src/engine/batch/merge-summaries';
import { optimizeFolder, type BatchRequest } from '../../../src/engine/batch/optimize-folder';
import { JobRunner } from '../../../src/engine/jobs/job-runner';
import { engineTask } from '../../../src/engine/jobs/task-ref';
import { FACE_SHORT_TFLITE, PPOCR_CLS_ONNX } from '../../fixtures/real-models';

let dir: string;
let models: string;
let shardModels: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lithe-batch-'));
  models = join(dir, 'models');
  await mkdir(join(models, 'vision', 'faces'), { recursive: true });
  await copyFile(PPOCR_CLS_ONNX, join(models, 'vision', 'ocr-direction.onnx'));
  await copyFile(FACE_SHORT_TFLITE, join(models, 'vision', 'faces', 'blazeface.tflite'));
  // Same name, other format, same folder: each gets its own run.
  await copyFile(FACE_SHORT_TFLITE, join(models, 'vision', 'ocr-direction.tflite'));
  await writeFile(join(models, 'corrupt.onnx'), (await readFile(PPOCR_CLS_ONNX)).subarray(0, 3000));
  // For the shards: ONNX models only (TFLite runs are the slow ones), two folders deep as above.
  shardModels = join(dir, 'shard-models');
  await mkdir(join(shardModels, 'vision', 'copy'), { recursive: true });
  await copyFile(PPOCR_CLS_ONNX, join(shardModels, 'vision', 'ocr-direction.onnx'));
  await copyFile(PPOCR_CLS_ONNX, join(shardModels, 'vision', 'copy', 'ocr-direction.onnx'));
  await copyFile(join(models, 'corrupt.onnx'), join(shardModels, 'corrupt.onnx'));
});
// Two jobs at once at most, as the service's shared runner would allow on a small machine.
const runner = new JobRunner({ concurrency: 2 });
afterAll(async () => {
  await runner.close();
  await rm(dir, { recursive: true, force: true });
});

const recipe = 'graph';
const runBatch = (request: Omit<BatchRequest, 'jobs'> & { jobs?: number }) =>
  optimizeFolder({ jobs: 1, ...request }, (one, ctx) => runner.run(engineTask('optimize'), one, ctx));

describe('optimizeFolder', () => {
  it('processes every model, mirrors the tree, and reports a corrupt one with its reason', { timeout: 240_000 }, async () => {
    const out = join(dir, 'out');
    const summary = await runBatch({ inputDir: models, outDir: out, recipe, jobs: 2 });
    expect(summary.counts).toEqual({ done: 3, skipped: 0, failed: 1 });
    const runDirs = summary.items.filter((item) => item.status === 'done').map((item) => item.runDir);
    expect(new Set(runDirs).size).toBe(3);
    const corrupt = summary.items.find((item) => item.model === 'corrupt.onnx');
    expect(corrupt?.status).toBe('failed');
    expect(corrupt?.reason).toMatch(/truncated/);
    expect(summary.items.find((item) => item.model === 'vision/faces/blazeface.tflite')?.verification).toBe('passed');
    const report = JSON.parse(await readFile(join(out, 'vision', 'ocr-direction.onnx', 'report.json'), 'utf8')) as {
      verification: { status: string };
    };
    expect(report.verification.status).toBe('passed');
    const csv = await readFile(join(out, 'batch-summary.csv'), 'utf8');
    expect(csv.split('\n')[0]).toMatch(/^model,status,/);
    expect(await readFile(join(out, 'batch-summary.html'), 'utf8')).toContain('corrupt.onnx');

    const again = await runBatch({ inputDir: models, outDir: out, recipe, jobs: 2 });
    expect(again.counts).toEqual({ done: 0, skipped: 3, failed: 1 });

    // An output changed since its run is not "already done": that model runs again.
    const onnxRun = JSON.parse(await readFile(join(out, 'vision', 'ocr-direction.onnx', 'report.json'), 'utf8')) as {
      output: { path: string };
    };
    await writeFile(onnxRun.output.path, (await readFile(onnxRun.output.path)).subarray(0, 100));
    const third = await runBatch({ inputDir: models, outDir: out, recipe, jobs: 2 });
    expect(third.counts).toEqual({ done: 1, skipped: 2, failed: 1 });
  });

  it('splits work into shards that together cover every model once, and merges their summaries', { timeout: 240_000 }, async () => {
    const out = join(dir, 'sharded');
    const first = await runBatch({ inputDir: shardModels, outDir: out, recipe, shard: { index: 1, count: 2 } });
    await expect(mergeSummaries(out)).rejects.toThrow(/Shards 2\/2 have not finished/);
    const second = await runBatch({ inputDir: shardModels, outDir: out, recipe, shard: { index: 2, count: 2 } });
    const names = [...first.items, ...second.items].map((item) => item.model).sort();
    expect(names).toEqual(['corrupt.onnx', 'vision/copy/ocr-direction.onnx', 'vision/ocr-direction.onnx']);
    const merged = await mergeSummaries(out);
    expect(merged.items.map((item) => item.model)).toEqual(names);
    expect(merged.counts).toEqual({ done: 2, skipped: 0, failed: 1 });
  });
});
