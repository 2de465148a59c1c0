import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TrainProgressDetail, TrainReport, type Progress } from '../../../src/contract';
import { createEngineService } from '../../../src/engine/service/engine-service';
import { writeTflite } from '../../../src/engine/formats/tflite';
import { fullyConnectedModel } from '../helpers/tflite-builders';
import { npyBytes, writeTinyTask } from './tiny-task';
import { seededRandom } from '../../../src/engine/util/seeded-random';

// `train.run` end to end through the engine service (arguments and results checked against the
// contract), in a job worker, with real files.
const dir = mkdtempSync(join(tmpdir(), 'lithe-train-run-'));
const service = createEngineService({ host: 'cli', runsFolder: join(dir, 'runs') });
afterAll(async () => {
  await service.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('train.run', { timeout: 120_000 }, () => {
  const task = writeTinyTask(dir);
  const outDir = join(dir, 'run');

  it('trains into a run folder with the model in its format, a checkpoint, report.json/html and live progress', async () => {
    const details: TrainProgressDetail[] = [];
    const onProgress = (p: Progress): void => {
      if (p.detail) details.push(TrainProgressDetail.parse(p.detail));
    };
    const report = TrainReport.parse(
      await service.invoke(
        'train.run',
        { model: task.model, data: task.images, labels: task.labels, outDir, epochs: 2, batchSize: 16, lr: 0.02, threads: 1 },
        { onProgress },
      ),
    );
    expect(report.history).toHaveLength(2);
    expect(report.validation?.samples).toBe(8);
    expect(report.output.format).toBe('onnx');
    const written = readFileSync(report.output.path);
    expect(createHash('sha256').update(written).digest('hex')).toBe(report.output.sha256);
    expect(written.equals(readFileSync(task.model))).toBe(false);
    expect(report.verification.runtime).toBe('onnxruntime');
    expect(report.verification.accuracy).toBeCloseTo(report.verification.duringTraining!, 9);
    expect(readFileSync(join(outDir, 'report.html'), 'utf8')).toContain('Training report');
    expect(existsSync(join(outDir, 'checkpoint', 'checkpoint.json'))).toBe(true);
    expect(details.filter((d) => d.kind === 'epoch').map((d) => d.epoch)).toEqual([1, 2]);
    const step = details.find((d) => d.kind === 'step');
    expect(step && step.kind === 'step' && step.samplesPerSecond > 0 && step.etaSeconds >= 0).toBe(true);
  });

  it('resumes the run for more epochs, and refuses a non-empty folder without resume', async () => {
    const report = TrainReport.parse(
      await service.invoke('train.run', {
        model: task.model,
        data: task.images,
        labels: task.labels,
        outDir,
        epochs: 3,
        batchSize: 16,
        lr: 0.02,
        threads: 1,
        resume: true,
      }),
    );
    expect(report.resumedFrom).toBe(2);
    expect(report.history.map((e) => e.epoch)).toEqual([1, 2, 3]);
    await expect(service.invoke('train.run', { model: task.model, data: task.images, outDir, epochs: 1 })).rejects.toThrow(/not empty/);
    await expect(service.invoke('train.run', { model: task.model, data: task.images, epochs: 0 })).rejects.toThrow(/epochs/);
  });

  it('trains a TFLite model (fixed batch 1) and writes a TFLite model that runs', async () => {
    const random = seededRandom(4);
    const weights = [Array.from({ length: 4 }, () => random() - 0.5), Array.from({ length: 4 }, () => random() - 0.5)];
    const path = join(dir, 'fc.tflite');
    writeFileSync(path, writeTflite(fullyConnectedModel(weights, [0, 0])));
    const count = 64;
    const x = Float32Array.from({ length: count * 4 }, () => random());
    const y = Int32Array.from({ length: count }, (_, n) => (x[n * 4]! > x[n * 4 + 1]! ? 1 : 0));
    writeFileSync(join(dir, 'x.npy'), npyBytes('<f4', [count, 4], x));
    writeFileSync(join(dir, 'y.npy'), npyBytes('<i4', [count], y));
    const report = TrainReport.parse(
      await service.invoke('train.run', {
        model: path,
        data: join(dir, 'x.npy'),
        labels: join(dir, 'y.npy'),
        outDir: join(dir, 'fc-run'),
        epochs: 2,
        lr: 0.05,
        valSplit: 0.25,
        threads: 1,
      }),
    );
    expect(report.output.format).toBe('tflite');
    expect(report.verification.runtime).toBe('TFLite runtime');
    expect(report.verification.accuracy).toBeCloseTo(report.verification.duringTraining!, 9);
    expect(report.history[1]!.trainLoss).toBeLessThan(report.history[0]!.trainLoss);
  });
});
