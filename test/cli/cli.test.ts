import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FileFacts, OptimizeReport } from '../../src/contract';
import { PPOCR_CLS_ONNX } from '../fixtures/real-models';

// The real `lithe` command, end to end: it reaches the engine through the service (jobs in workers).
const LITHE = join(import.meta.dirname, '..', '..', 'bin', 'lithe.js');
const lithe = (...args: string[]) => spawnSync(process.execPath, [LITHE, ...args], { encoding: 'utf8', timeout: 120_000 });

const dir = mkdtempSync(join(tmpdir(), 'lithe-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('lithe (CLI)', { timeout: 300_000 }, () => {
  it('identifies a model through the engine service and prints the contract’s FileFacts as JSON', () => {
    const run = lithe('identify', PPOCR_CLS_ONNX, '--json');
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(FileFacts.parse(JSON.parse(run.stdout))).toMatchObject({ format: 'onnx', sizeBytes: 578966 });
  });

  it('reports a bad argument in one line with exit status 2, and a missing file with status 1', () => {
    const shard = lithe('batch', '.', '-o', '/tmp/never', '--shard', '3/2');
    expect(shard.status).toBe(2);
    expect(shard.stderr.trim()).toBe('lithe: --shard must look like I/N with 1 ≤ I ≤ N (e.g. 1/4), not "3/2".');
    const missing = lithe('inspect', '/no/such/model.onnx');
    expect(missing.status).toBe(1);
    expect(missing.stderr.trim()).toMatch(/^lithe: \/no\/such\/model.onnx: .+/);
    expect(missing.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('optimize --goal picks the recipe through the engine’s goal policy, as the wizard does', () => {
    const run = lithe('optimize', PPOCR_CLS_ONNX, '--goal', 'smaller', '-o', join(dir, 'smaller'), '--json');
    expect(run.status).toBe(0);
    const report = OptimizeReport.parse(JSON.parse(run.stdout));
    // Without example data the wizard suggests weight-only int8 for a smaller file (see the goal policy tests).
    expect(report.recipe.name).toBe('int8-dynamic');
    expect(report.keptInFloat).toEqual([]);
    expect(report.output.sizeBytes).toBeLessThan(report.input.sizeBytes);
    const both = lithe('optimize', PPOCR_CLS_ONNX, '--goal', 'smaller', '--recipe', 'graph', '-o', join(dir, 'both'));
    expect(both.status).toBe(2);
    expect(both.stderr).toMatch(/not both/);
  });

  it('optimize without -o writes a new run folder among the runs the app lists', () => {
    const runs = join(dir, 'runs');
    const run = spawnSync(process.execPath, [LITHE, 'optimize', PPOCR_CLS_ONNX, '--json'], {
      encoding: 'utf8',
      timeout: 120_000,
      env: { ...process.env, LITHE_RUNS_DIR: runs },
    });
    expect(run.status).toBe(0);
    const report = OptimizeReport.parse(JSON.parse(run.stdout));
    expect(report.runDir.startsWith(runs)).toBe(true);
    expect(readdirSync(runs)).toEqual([expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d-ch_ppocr_mobile_v2\.0_cls_infer-graph$/)]);
  });
});
