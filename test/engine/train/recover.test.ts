import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CommandError, OptimizeReport, RecoverReport, TrainReport } from '../../../src/contract';
import { decodeOnnx, encodeOnnx } from '../../../src/engine/formats/onnx';
import { createEngineService } from '../../../src/engine/service/engine-service';
import { recoveryPlan } from '../../../src/engine/train/recover/recovery-plan';
import { writeFragileClassifier } from '../../e2e/support/tiny-models';
import { writeTinyTask } from './tiny-task';

// `train.recover` end to end through the engine service: an optimization run made here, then
// retrained on the tiny task's data, the three models measured on the same samples.
const dir = mkdtempSync(join(tmpdir(), 'lithe-recover-'));
const service = createEngineService({ host: 'cli', runsFolder: join(dir, 'runs') });
afterAll(async () => {
  await service.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('recovery plan', () => {
  it('trains the quantization step in place, carrying the options it shares', () => {
    const plan = recoveryPlan({
      name: 'int8-static',
      steps: [
        { pass: 'fold-constants', options: {} },
        { pass: 'quantize-int8-static', options: { samples: 64, perChannel: false } },
      ],
    });
    expect(plan.method).toBe('quantization-aware');
    if (plan.method !== 'quantization-aware') return;
    const steps = plan.steps({ epochs: 2, lr: 1e-3, batchSize: 16, threads: 1, seed: 1, limit: 100 });
    expect(steps[0]).toEqual({ pass: 'fold-constants', options: {} });
    expect(steps[1]).toEqual({
      pass: 'quantize-int8-qat',
      options: { calibrationSamples: 64, epochs: 2, lr: 1e-3, batchSize: 16, threads: 1, seed: 1, samples: 100 },
    });
    expect(plan.notes.join(' ')).toMatch(/left out: perChannel/);
  });

  it('fine-tunes a float result, and refuses steps that have no trained form', () => {
    expect(recoveryPlan({ name: 'graph', steps: [{ pass: 'fold-constants', options: {} }] }).method).toBe('fine-tune');
    expect(() => recoveryPlan({ name: 'mixed', steps: [{ pass: 'quantize-mixed', options: {} }] })).toThrow(
      /quantize-mixed has no trained form/,
    );
  });
});

describe('train.recover', { timeout: 180_000 }, () => {
  const task = writeTinyTask(dir, 200);
  // A trained original, as a user would have: the tiny model trained on the task first.
  let original: string | undefined;
  const optimize = async (recipe: string, outDir: string): Promise<OptimizeReport> => {
    original ??= TrainReport.parse(
      await service.invoke('train.run', {
        model: task.model,
        data: task.images,
        labels: task.labels,
        outDir: join(dir, 'trained'),
        epochs: 3,
        lr: 0.02,
        batchSize: 16,
        threads: 1,
      }),
    ).output.path;
    return OptimizeReport.parse(
      await service.invoke('optimize.run', { model: original, recipe, data: task.images, labels: task.labels, outDir }),
    );
  };

  it('quantizes again with training and measures the three models on the same samples', async () => {
    const run = await optimize('int8-static', join(dir, 'int8'));
    const outDir = join(dir, 'int8-retrained');
    const report = RecoverReport.parse(
      await service.invoke('train.recover', {
        run: run.runDir,
        data: task.images,
        labels: task.labels,
        epochs: 2,
        lr: 0.01,
        batchSize: 16,
        threads: 1,
        outDir,
      }),
    );
    expect(report.method).toBe('quantization-aware');
    expect(report.runDir).toBe(outDir);
    // The new run is an optimization run like any other (the runs list shows it), with the recovery beside it.
    const rerun = OptimizeReport.parse(JSON.parse(readFileSync(join(outDir, 'report.json'), 'utf8')));
    expect(rerun.steps.map((s) => s.pass)).toContain('quantize-int8-qat');
    expect(RecoverReport.parse(JSON.parse(readFileSync(join(outDir, 'recovery.json'), 'utf8'))).after).toEqual(report.after);
    const ops = decodeOnnx(readFileSync(report.output.path)).graph.nodes.map((n) => n.opType);
    expect(ops).toContain('QuantizeLinear');
    for (const m of [report.reference, report.before, report.after]) expect(m.samples).toBe(200);
    expect(report.reference.agreement).toBe(1);
    expect(report.after.accuracy).toBeGreaterThanOrEqual(0.9);
    expect(report.history.length).toBe(2);
    expect(report.measuredOn.heldOut).toBe(false);
    expect(report.notes.join(' ')).toMatch(/Measured on the training data/);
  });

  it('fine-tunes a pruned result towards the original, keeping its zeros, and wins accuracy back', async () => {
    const run = await optimize('graph', join(dir, 'pruned'));
    // Stand-in for a pruning recipe's result: the largest weights of the classifier set to zero.
    const pruned = decodeOnnx(readFileSync(run.output.path));
    const fc = pruned.graph.initializers.find((t) => t.name === 'fc.w')!;
    const w = Float32Array.from(fc.toTypedArray() as Float32Array);
    const order = [...w.keys()].sort((a, b) => Math.abs(w[b]!) - Math.abs(w[a]!));
    for (const i of order.slice(0, w.length / 2)) w[i] = 0;
    fc.setBytes(new Uint8Array(w.buffer));
    writeFileSync(run.output.path, encodeOnnx(pruned));
    const report = RecoverReport.parse(
      await service.invoke('train.recover', {
        run: run.runDir,
        data: task.images,
        labels: task.labels,
        epochs: 3,
        lr: 0.02,
        batchSize: 16,
        threads: 1,
        outDir: join(dir, 'pruned-retrained'),
      }),
    );
    expect(report.method).toBe('fine-tune');
    expect(report.after.accuracy!).toBeGreaterThanOrEqual(report.before.accuracy!);
    const retrained = decodeOnnx(readFileSync(report.output.path)).graph.initializers.find((t) => t.name === 'fc.w')!;
    const r = retrained.toTypedArray() as Float32Array;
    for (let i = 0; i < w.length; i++) if (w[i] === 0) expect(r[i]).toBe(0);
    expect([...r].some((x, i) => x !== w[i])).toBe(true);
  });

  it('leaves no folder behind when it fails, and says when the trained step is undone again', async () => {
    // A model whose answers 8-bit weights swamp: its int8 step is undone, and stays undone after training.
    const fragile = join(dir, 'fragile.onnx');
    const data = writeFragileClassifier(fragile, join(dir, 'fragile-data'));
    const run = OptimizeReport.parse(
      await service.invoke('optimize.run', { model: fragile, recipe: 'int8-static', data, outDir: join(dir, 'fragile-int8') }),
    );
    expect(run.steps.find((s) => s.pass === 'quantize-int8-static')?.undone).toBeDefined();
    const outDir = join(dir, 'fragile-retrained');
    const settings = { run: run.runDir, data, epochs: 1, lr: 0.01, batchSize: 16, threads: 1, outDir };
    // The held-out data is read only after training: the failure comes after the folder was filled.
    const err = await service.invoke('train.recover', { ...settings, valData: fragile }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CommandError);
    expect(existsSync(outDir)).toBe(false);
    const report = RecoverReport.parse(await service.invoke('train.recover', settings));
    expect(report.runDir).toBe(outDir);
    expect(report.notes.join(' ')).toMatch(
      /quantization step \(quantize-int8-qat\) was undone again: .+\. The retrained model is not quantized by it/,
    );
  });

  it('refuses a folder that is not an optimization run, naming it', async () => {
    const err = await service.invoke('train.recover', { run: dir, data: task.images }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CommandError);
    expect((err as CommandError).info.message).toMatch(/not an optimization run folder/);
    expect((err as CommandError).info.file).toBe(dir);
  });
});
