import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ort from 'onnxruntime-node';
import { afterAll, describe, expect, it } from 'vitest';
import { TrainReport } from '../../../src/contract';
import { encodeOnnx } from '../../../src/engine/formats/onnx';
import { createEngineService } from '../../../src/engine/service/engine-service';
import { widthStudent } from '../../../src/engine/train/distill/width-student';
import { fineTune } from '../../../src/engine/train/fine-tune';
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

  it('refuses branches that merge, naming the node', () => {
    const b = new TinyGraph('float32');
    const x = b.input('x', ['N', 2, 4, 4]);
    const c = b.op('Conv', [x, b.weight('w', [2, 2, 1, 1])]);
    const sum = b.op('Add', [c, x]);
    b.output(b.op('Conv', [sum, b.weight('w2', [2, 2, 1, 1])], { pads: intsAttr([0, 0, 0, 0]) }));
    expect(() => widthStudent(b.model, 0.5)).toThrow(/at the Add node "Add_1": Add after a narrowed layer is not supported/);
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
    const report = TrainReport.parse(
      await service.invoke('distill.run', {
        teacher: teacherPath,
        width: 0.67,
        data: join(dir, 'x.npy'),
        valData: join(dir, 'vx.npy'),
        valLabels: join(dir, 'vy.npy'),
        outDir: join(dir, 'run'),
        epochs: 3,
        batchSize: 16,
        lr: 0.02,
        threads: 1,
      }),
    );
    expect(report.kind).toBe('distill');
    expect(report.data.labelled).toBe(false);
    expect(report.loss).toEqual([{ kind: 'distill-kl', temperature: 4 }]);
    expect(report.student?.parameters.student).toBeLessThan(report.student!.parameters.teacher);
    expect(existsSync(report.student!.initialPath)).toBe(true);
    expect(report.verification.agreement).toBeGreaterThan(0.8);
    expect(report.verification.accuracy).toBeGreaterThan(0.8);
    await expect(service.invoke('distill.run', { teacher: teacherPath, data: join(dir, 'x.npy') })).rejects.toThrow(
      /either a student model or a width/,
    );
  });
});
