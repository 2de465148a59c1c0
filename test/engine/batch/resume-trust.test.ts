import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { optimizeFolder } from '../../../src/engine/batch/optimize-folder';
import { JobRunner } from '../../../src/engine/jobs/job-runner';
import { engineTask } from '../../../src/engine/jobs/task-ref';
import { PPOCR_CLS_ONNX } from '../../fixtures/real-models';

let dir: string;
const runner = new JobRunner({ concurrency: 1 });
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lithe-resume-'));
  await mkdir(join(dir, 'models'));
  await copyFile(PPOCR_CLS_ONNX, join(dir, 'models', 'cls.onnx'));
});
afterAll(async () => {
  await runner.close();
  await rm(dir, { recursive: true, force: true });
});

const runBatch = (outDir: string) =>
  optimizeFolder({ inputDir: join(dir, 'models'), outDir, recipe: 'graph', jobs: 1 }, (one, ctx) =>
    runner.run(engineTask('optimize'), one, ctx),
  );

describe('batch resume', () => {
  it('refuses an earlier report whose output lies outside its run folder', { timeout: 120_000 }, async () => {
    const out = join(dir, 'out');
    const first = await runBatch(out);
    expect(first.counts).toEqual({ done: 1, skipped: 0, failed: 0 });
    const reportPath = join(out, 'cls.onnx', 'report.json');
    const report = JSON.parse(await readFile(reportPath, 'utf8')) as { output: { path: string } };
    // A tampered resume state: the output moved elsewhere with the same bytes, so its hash still matches.
    const elsewhere = join(dir, 'elsewhere.onnx');
    await copyFile(report.output.path, elsewhere);
    await writeFile(reportPath, JSON.stringify({ ...report, output: { ...report.output, path: elsewhere } }));
    const again = await runBatch(out);
    expect(again.counts).toEqual({ done: 0, skipped: 0, failed: 1 });
    expect(again.items[0]?.reason).toContain(`names ${elsewhere}, which is outside the run folder`);
    expect(again.items[0]?.reason).toContain(join(out, 'cls.onnx'));
  });
});
