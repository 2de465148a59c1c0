import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ort from 'onnxruntime-node';
import { afterAll, describe, expect, it } from 'vitest';
import { TrainReport } from '../../../src/contract';
import { encodeOnnx } from '../../../src/engine/formats/onnx';
import { createEngineService } from '../../../src/engine/service/engine-service';
import type { Model } from '../../../src/engine/ir/model';
import { matchStatistics } from '../../../src/engine/train/distill/match-statistics';
import { widthStudent } from '../../../src/engine/train/distill/width-student';
import { fineTune } from '../../../src/engine/train/fine-tune';
import { openTeacher, type Teacher } from '../../../src/engine/train/teacher';
import { layoutFromShape } from '../../../src/engine/data/input-layout';
import { applyWeights } from '../../../src/engine/train/write-back';
import { intsAttr } from '../../../src/engine/passes/util/attributes';
import { npyBytes, tinyClassifier, tinySamples } from './tiny-task';
import { TinyGraph } from './tiny-graphs';

const dir = mkdtempSync(join(tmpdir(), 'lithe-distill-'));
const service = createEngineService({ host: 'cli', runsFolder: join(dir, 'runs') });
afterAll(async () => {
  await service.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('width students', () => {
  it('keep the largest filters of every layer but the last, and run', async () => {
    const teacher = tinyClassifier();
    const conv = teacher.graph.initializers.find((t) => t.name === 'conv.w')!;
    const w = conv.toTypedArray() as Float32Array;
    const norms = [0, 1, 2].map((f) => w.subarray(f * 9, f * 9 + 9).reduce((a, b) => a + Math.abs(b), 0));
    const best = norms.indexOf(Math.max(...norms));
    const student = widthStudent(teacher, 0.34);
    expect(student.layers).toEqual([{ node: 'Conv_0', kept: 1, of: 3 }]);
    const kept = student.model.graph.initializers.find((t) => t.name === 'conv.w')!;
    expect(kept.dims).toEqual([1, 1, 3, 3]);
    expect(Array.from(kept.toTypedArray() as Float32Array)).toEqual(Array.from(w.subarray(best * 9, best * 9 + 9)));
    expect(student.model.graph.initializers.find((t) => t.name === 'fc.w')!.dims).toEqual([2, 9]);
    expect(student.parameters).toEqual({ student: 9 + 1 + 18 + 2, teacher: 27 + 3 + 54 + 2 });
    const session = await ort.InferenceSession.create(encodeOnnx(student.model));
    const out = await session.run({ image: new ort.Tensor('float32', new Float32Array(72).fill(0.5), [2, 1, 6, 6]) });
    expect(Object.values(out)[0]!.dims).toEqual([2, 2]);
  });

  it('start with the mean and spread of the teacher channels they keep', async () => {
    const teacher = tinyClassifier();
    const samples = tinySamples(64);
    const student = widthStudent(teacher, 0.34);
    expect(student.narrowed.map((l) => [l.output, l.teacherChannels.length])).toEqual([
      [teacher.graph.nodes[0]!.outputs[0]!.name, 1],
      [teacher.graph.outputs[0]!.name, 2],
    ]);
    const goal = await logitStats(teacher, samples.data);
    const cut = await logitStats(student.model, samples.data);
    expect(Math.abs(cut.std[0]! / goal.std[0]! - 1)).toBeGreaterThan(0.05);
    const firstLayer = Array.from(student.model.graph.initializers.find((t) => t.name === 'conv.w')!.toTypedArray() as Float32Array);
    expect(await matchStatistics(student, teacher, samples)).toBe(64);
    // The first layer reads the same input as the teacher's: its kept channel is the teacher's already.
    const after = student.model.graph.initializers.find((t) => t.name === 'conv.w')!.toTypedArray() as Float32Array;
    after.forEach((v, i) => expect(v).toBeCloseTo(firstLayer[i]!, 5));
    const repaired = await logitStats(student.model, samples.data);
    for (const c of [0, 1]) {
      expect(repaired.mean[c]).toBeCloseTo(goal.mean[c]!, 4);
      expect(repaired.std[c]! / goal.std[c]!).toBeCloseTo(1, 4);
    }
  });

  it('refuses branches that merge, naming the node', () => {
    const b = new TinyGraph('float32');
    const x = b.input('x', ['N', 2, 4, 4]);
    const c = b.op('Conv', [x, b.weight('w', [2, 2, 1, 1])]);
    const sum = b.op('Add', [c, x]);
    b.output(b.op('Conv', [sum, b.weight('w2', [2, 2, 1, 1])], { pads: intsAttr([0, 0, 0, 0]) }));
    expect(() => widthStudent(b.model, 0.5)).toThrow(/at the Add node "Add_1": Add after a narrowed layer is not supported/);
  });
});

// Mean and standard deviation of each class score over the samples (6×6 images).
async function logitStats(model: Model, data: Float32Array): Promise<{ mean: number[]; std: number[] }> {
  const session = await ort.InferenceSession.create(encodeOnnx(model));
  const out = await session.run({ image: new ort.Tensor('float32', data, [data.length / 36, 1, 6, 6]) });
  await session.release();
  const z = Object.values(out)[0]!.data as Float32Array;
  const n = z.length / 2;
  const mean = [0, 1].map((c) => z.filter((_, i) => i % 2 === c).reduce((a, b) => a + b, 0) / n);
  const std = [0, 1].map((c) => Math.sqrt(z.filter((_, i) => i % 2 === c).reduce((a, b) => a + (b - mean[c]!) ** 2, 0) / n));
  return { mean, std };
}

describe('the teacher', () => {
  it('scores the data once when batches are not augmented, and every batch when they are', async () => {
    const model = tinyClassifier();
    const real = await openTeacher(encodeOnnx(model), 'onnx', { threads: 1 }, model);
    let calls = 0;
    const teacher: Teacher = {
      scores: (data, count, dims) => {
        calls++;
        return real.scores(data, count, dims);
      },
      release: () => real.release(),
    };
    const student = widthStudent(model, 0.67).model;
    const common = {
      data: tinySamples(64),
      validation: tinySamples(32, 9),
      teacher,
      epochs: 3,
      batchSize: 16,
      lr: 0.01,
      session: { threads: 1 },
    };
    const plain = await fineTune(student, common);
    // One pass over the 64 training samples (4 batches) and one over the 32 validation samples (2), for all 3 epochs.
    expect(calls).toBe(6);
    expect(plain.history.every((e) => e.valAgreement !== undefined)).toBe(true);
    calls = 0;
    await fineTune(student, { ...common, augment: { flip: false, shift: 1, crop: 0 }, layout: layoutFromShape('image', ['N', 1, 6, 6]) });
    expect(calls).toBe(3 * 4 + 2);
    await teacher.release();
  });
});

describe('choosing the epoch without labels', () => {
  it('keeps the epoch whose model agrees best with the teacher on held-out samples', async () => {
    const teacher = tinyClassifier();
    applyWeights(
      teacher,
      (await fineTune(teacher, { data: tinySamples(200), epochs: 3, batchSize: 16, lr: 0.02, session: { threads: 1 } })).weights,
    );
    const scorer = await openTeacher(encodeOnnx(teacher), 'onnx', { threads: 1 }, teacher);
    // Trained on wrong labels, the model drifts away from the teacher: its later epochs agree less.
    const wrong = tinySamples(96, 14);
    wrong.labels = wrong.labels!.map((l) => 1 - l);
    const common = {
      data: wrong,
      loss: [{ kind: 'cross-entropy' as const }],
      teacher: scorer,
      epochs: 4,
      batchSize: 16,
      lr: 0.02,
      session: { threads: 1 },
    };
    const { labels: _unused, ...heldOut } = tinySamples(40, 13);
    const chosen = await fineTune(teacher, { ...common, selection: heldOut });
    const last = await fineTune(teacher, common);
    await scorer.release();
    const agreement = chosen.selectionAgreement!;
    expect(agreement).toHaveLength(4);
    expect(chosen.keptEpoch).toBe(agreement.indexOf(Math.max(...agreement)) + 1);
    expect(chosen.keptEpoch).toBeLessThan(4);
    expect(last.keptEpoch).toBe(4);
    expect(chosen.weights.get('fc.w')).not.toEqual(last.weights.get('fc.w'));
  });
});

describe('distill.run', { timeout: 120_000 }, () => {
  it('trains a derived student from the teacher without labels, measures it, and keeps the initial student', async () => {
    const teacher = tinyClassifier();
    const trained = await fineTune(teacher, { data: tinySamples(200), epochs: 3, batchSize: 16, lr: 0.02, session: { threads: 1 } });
    applyWeights(teacher, trained.weights);
    const teacherPath = join(dir, 'teacher.onnx');
    writeFileSync(teacherPath, encodeOnnx(teacher));
    const train = tinySamples(160, 11);
    const val = tinySamples(60, 12);
    writeFileSync(join(dir, 'x.npy'), npyBytes('<f4', [160, 1, 6, 6], train.data));
    writeFileSync(join(dir, 'vx.npy'), npyBytes('<f4', [60, 1, 6, 6], val.data));
    writeFileSync(join(dir, 'vy.npy'), npyBytes('<i4', [60], val.labels!));
    const common = { teacher: teacherPath, width: 0.67, data: join(dir, 'x.npy'), batchSize: 16, lr: 0.02, threads: 1 };
    const report = TrainReport.parse(
      await service.invoke('distill.run', {
        ...common,
        valData: join(dir, 'vx.npy'),
        valLabels: join(dir, 'vy.npy'),
        outDir: join(dir, 'run'),
        epochs: 3,
      }),
    );
    expect(report.kind).toBe('distill');
    expect(report.data.labelled).toBe(false);
    // 8 of the 160 training images are held out to choose the epoch by agreement with the teacher (the labelled --val-data never chooses).
    expect(report.data.samples).toBe(152);
    expect(report.warnings.join(' ')).toMatch(/Kept epoch [1-3] of 3: .* on 8 training samples held out of training .*no labels were used/);
    // Without labels, cross-entropy on the teacher's confident answers (probability ≥ 0.8) is on by default.
    expect(report.loss).toEqual([
      { kind: 'distill-kl', temperature: 2, weight: 0.5 },
      { kind: 'pseudo-label', threshold: 0.8, weight: 0.5 },
    ]);
    expect(report.settings).toMatchObject({ schedule: 'cosine' });
    expect(report.student?.parameters.student).toBeLessThan(report.student!.parameters.teacher);
    expect(existsSync(report.student!.initialPath)).toBe(true);
    expect(report.verification.agreement).toBeGreaterThan(0.8);
    expect(report.verification.accuracy).toBeGreaterThan(0.8);
    // --no-pseudo-labels: the softened teacher alone.
    const softOnly = TrainReport.parse(
      await service.invoke('distill.run', { ...common, outDir: join(dir, 'run-soft'), epochs: 2, pseudoLabels: false }),
    );
    expect(softOnly.loss).toEqual([{ kind: 'distill-kl', temperature: 2 }]);
    expect(softOnly.verification.agreement).toBeGreaterThan(0.8);
    await expect(service.invoke('distill.run', { teacher: teacherPath, data: join(dir, 'x.npy') })).rejects.toThrow(
      /either a student model or a width/,
    );
  });
});
